// STM_CONFLICTS=N records the call that allocated each object under a lock of the callers'
// table.  A fork child inherited that lock held by a thread that does not exist there and
// spun for ever in its first stm_alloc (a review: 111 of 200 children).  The lock is now held
// across fork.  A thread allocates from two call sites in turn (each allocation takes the
// table's lock) while main forks 100 times; each child allocates twice and exits, under an
// alarm.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: env STM_CONFLICTS=3 %run %t | FileCheck %s
// CHECK: children 100, ok 100
#include <stmc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;

__attribute__((noinline)) static void STM_HEAP *site_a(void) { return stm_alloc(16); }
__attribute__((noinline)) static void STM_HEAP *site_b(void) { return stm_alloc(32); }

static void *allocator(void *arg)
{
    (void)arg;
    while (!stop) {
        STM_ATOMIC {
            stm_free(site_a());
            stm_free(site_b());
        }
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, allocator, NULL);
    int ok = 0, n = 100;
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(5);
            long STM_HEAP *p = stm_alloc(64);
            p[0] = i;
            long STM_HEAP *q = stm_alloc(80);
            q[0] = p[0];
            _exit(q[0] == i ? 0 : 1);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    stop = 1;
    pthread_join(t, NULL);
    printf("children %d, ok %d\n", n, ok);
    return 0;
}
