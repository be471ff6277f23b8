// A fork child gets the other threads' runtime vectors (write sets, allocation and free lists)
// as they were at any of their instructions.  A vector grew by realloc after its capacity was
// stored, so a child could see a capacity of 64 and no array (or a capacity larger than its
// array), and its first allocation in that segment wrote through NULL: SIGSEGV in a child
// forked while a thread ran its first atomic blocks (found by a review's fork test with
// STM_CONFLICTS; it happened without the flag too).  Now the new array is stored before the
// capacity, and the old one freed after.  A stress test: ten threads in turn allocate and free
// in atomic blocks, each on a segment of its own whose vectors grow in its first blocks, while
// main forks 30 times a thread; each child allocates twice in the segment that thread uses
// (the test hook _stm_test_switch) and exits.  With STM_CONFLICTS=N the allocations also
// record their callers in a table under a lock, which is now held across fork: a child
// inherited it held by a thread that does not exist there and spun in its first stm_alloc
// (a review: 111 of 200 children; here 17-24 of 300 before).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t | FileCheck %s
// RUN: %run %t | FileCheck %s
// RUN: env STM_CONFLICTS=3 %run %t 2>&1 | FileCheck %s
// CHECK: children 300, ok 300
#include <stmc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 10
#define FORKS_EACH 30
static volatile int stop, phase = -1, cur_seg;
static long STM_HEAP *box;

__attribute__((noinline)) static void STM_HEAP *small(void) { return stm_alloc(16); }
__attribute__((noinline)) static void STM_HEAP *other(void) { return stm_alloc(32); }

/* Allocator k runs while phase == k, on a segment of its own (the earlier ones keep theirs,
 * sleeping), so that each phase starts with a segment whose vectors have not grown yet. */
static void *allocator(void *arg)
{
    long k = (long)arg;
    while (phase != k)
        usleep(100);
    long first = *box; /* takes a segment (an implicit read grows no vector) */
    cur_seg = _stm_test_current() + (int)(first - first);
    while (phase == k && !stop) {
        STM_ATOMIC {
            stm_free(small());
            stm_free(other());
        }
    }
    while (!stop)
        usleep(1000);
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    box = stm_alloc(sizeof *box);
    for (long k = 0; k < THREADS; k++)
        pthread_create(&t[k], NULL, allocator, (void *)k);
    int ok = 0, n = 0;
    for (int k = 0; k < THREADS; k++) {
        cur_seg = 0;
        phase = k;
        while (!cur_seg)
            usleep(10);
        for (int i = 0; i < FORKS_EACH; i++, n++) {
            int seg = cur_seg;
            pid_t pid = fork();
            if (pid == 0) {
                alarm(2);
                _stm_test_switch(seg); /* the segment whose vectors were growing */
                long STM_HEAP *p = stm_alloc(64);
                p[0] = i;
                long STM_HEAP *q = stm_alloc(80);
                q[0] = p[0];
                _exit(q[0] == i ? 0 : 1);
            }
            int st = 0;
            waitpid(pid, &st, 0);
            if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
                ok++;
            else
                fprintf(stderr, "child %d: %s %d\n", n, WIFSIGNALED(st) ? "signal" : "exit",
                        WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        }
    }
    stop = 1;
    for (int k = 0; k < THREADS; k++)
        pthread_join(t[k], NULL);
    printf("children %d, ok %d\n", n, ok);
    return 0;
}
