// Deferred cancellation acts only at cancellation points, never inside the runtime: its own
// waits and the fork handling use the system calls themselves (nanosleep, read, write and close
// are cancellation points in glibc).  Before:
//   fork:  a thread with a cancel pending that forked died inside the runtime's fork handling
//          (the pipe's close/read), holding the commit lock and the allocator's lock: the
//          program hung (3 of 3); and its child died in the heap copy (copy_file_range,
//          close), holding them too, so that the parent waited for it for ever (5 of 5).  The
//          runtime now disables cancellation from before the fork until both sides are done;
//   token: a thread cancelled while its heap write outside blocks waited for the inevitable
//          token died in the wait's nanosleep, still counted as waiting: every later start
//          outside blocks waited for it (a hang, 4 of 6), and with a cleanup handler that runs
//          a block the runtime reported "STM_ATOMIC entered while a test transaction runs"
//          (5 of 5).
//   forkstate: two threads forking at once, one with cancellation enabled and one with it
//          disabled, got each other's cancelability back after the fork (the saved state was
//          one variable written before the lock: ~120 of 200 parents and ~70 of 200 children
//          wrong), so a cancel pending in the disabled thread acted, and the enabled one's was
//          lost (its join hung).
//   cleanupabort: a block that called pthread_cleanup_push and then aborted (a conflict found
//          by stm_validate) ran again without unregistering the first buffer; pthread_exit
//          after the block then jumped into a dead frame (SIGSEGV, 5 of 5 with the push
//          treated as pure; the push is an external call again: the block becomes inevitable).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: timeout 60 %t fork | FileCheck %s --check-prefix=FORK
// RUN: timeout 60 %t token 2>&1 | FileCheck %s --check-prefix=TOKEN
// FORK: cancelled 1, child exited with 42
// FORK: done
// RUN: timeout 120 %t forkstate | FileCheck %s --check-prefix=FORKSTATE
// RUN: timeout 60 %t cleanupabort | FileCheck %s --check-prefix=CLEANUP
// CLEANUP: v=101 handler ran=1
// FORKSTATE: parent wrong 0, child wrong 0; disabled: parent wrong 0, child wrong 0 (of 100 forks each)
// TOKEN-NOT: stmc:
// TOKEN: done y=1 z=1 n={{[01]}}
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stmc.h>

typedef STM_HEAP struct { long x, y, z, n; } obj_t;
static obj_t *o;

static pid_t child = -1;

static void *forker(void *arg)
{
    (void)arg;
    o->x = 1;                       /* this thread holds a segment */
    pthread_cancel(pthread_self()); /* pending: acts at the next cancellation point */
    pid_t p = fork();               /* fork is none */
    if (p == 0)
        _exit(42);
    __atomic_store_n(&child, p, __ATOMIC_SEQ_CST);
    pthread_testcancel();
    return NULL;
}

static int wrong_parent[2], wrong_child[2];

static int cancel_state_now(void)
{
    int old;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
    pthread_setcancelstate(old, NULL);
    return old;
}

static void *fork_keep_state(void *arg)
{
    int id = (int)(long)arg;
    int want = id ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
    pthread_setcancelstate(want, NULL);
    for (int i = 0; i < 100; i++) {
        pid_t p = fork();
        if (p == 0) {
            o->z++;
            _exit(cancel_state_now() == want ? 0 : 1);
        }
        if (cancel_state_now() != want) {
            wrong_parent[id]++;
            pthread_setcancelstate(want, NULL);
        }
        int st = 0;
        waitpid(p, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            wrong_child[id]++;
    }
    return NULL;
}

static int phase, handler_ran;

static void undo(void *p) { (void)p; }

static void on_exit_cleanup(void *p)
{
    (void)p;
    handler_ran = 1;
}

static void *cleanup_in_aborted_block(void *arg)
{
    (void)arg;
    int tries = 0;
    STM_ATOMIC {
        pthread_cleanup_push(undo, 0);
        long x = o->x;
        if (tries++ == 0) {
            __atomic_store_n(&phase, 1, __ATOMIC_SEQ_CST);
            for (int k = 0; k < 5000 && __atomic_load_n(&phase, __ATOMIC_SEQ_CST) != 2; k++)
                usleep(100);
            stm_validate(); /* aborts if the other thread's write came first */
        }
        o->x = x + 1;
        pthread_cleanup_pop(0);
    }
    pthread_cleanup_push(on_exit_cleanup, 0);
    pthread_exit(0);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *conflicting_write(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&phase, __ATOMIC_SEQ_CST) != 1)
        usleep(100);
    o->x += 100; /* outside blocks */
    __atomic_store_n(&phase, 2, __ATOMIC_SEQ_CST);
    return NULL;
}

static void spin_ms(long ms)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    do
        clock_gettime(CLOCK_MONOTONIC, &b);
    while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void *long_block(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        stm_become_inevitable("holds the token");
        o->x++;
        spin_ms(600);
    }
    return NULL;
}

static void cleanup(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        o->n++;
    }
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_cleanup_push(cleanup, NULL);
    o->y = 1;             /* outside a block: waits for the token, no cancellation point */
    pthread_testcancel(); /* the first cancellation point */
    pthread_cleanup_pop(0);
    return NULL;
}

int main(int argc, char **argv)
{
    o = stm_alloc(sizeof *o);
    pthread_t a, b;
    if (argc > 1 && !strcmp(argv[1], "cleanupabort")) {
        pthread_create(&a, NULL, cleanup_in_aborted_block, NULL);
        pthread_create(&b, NULL, conflicting_write, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        long v;
        STM_ATOMIC {
            v = o->x;
        }
        printf("v=%ld handler ran=%d\n", v, handler_ran);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "forkstate")) {
        pthread_create(&a, NULL, fork_keep_state, (void *)0L);
        pthread_create(&b, NULL, fork_keep_state, (void *)1L);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        printf("parent wrong %d, child wrong %d; disabled: parent wrong %d, child wrong %d "
               "(of 100 forks each)\n",
               wrong_parent[0], wrong_child[0], wrong_parent[1], wrong_child[1]);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "fork")) {
        void *r = NULL;
        int st = 0;
        pthread_create(&a, NULL, forker, NULL);
        pthread_join(a, &r);
        pid_t p = __atomic_load_n(&child, __ATOMIC_SEQ_CST);
        if (p <= 0 || waitpid(p, &st, 0) != p)
            return 1;
        printf("cancelled %d, child exited with %d\n", r == PTHREAD_CANCELED,
               WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        STM_ATOMIC {
            o->n++;
        }
        puts("done");
        return 0;
    }
    pthread_create(&a, NULL, long_block, NULL);
    usleep(50000);
    pthread_create(&b, NULL, writer, NULL);
    usleep(300000);
    pthread_cancel(b);
    pthread_join(b, NULL);
    pthread_join(a, NULL);
    o->z = 1;
    printf("done y=%ld z=%ld n=%ld\n", o->y, o->z, o->n);
    return 0;
}
