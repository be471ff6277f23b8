// exit() and quick_exit() inside an atomic block commit the block first: the exit handlers run
// outside any block and see its writes, its on-commit callbacks run, another thread sees the
// writes, and the exit status is kept (nested blocks too).  Before, the handlers ran inside
// the uncommitted transaction (stm_in_atomic() was 1) and the other thread never saw the write.
// A block left by longjmp and then exit() is reported, not committed.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0
// RUN: %stmcc -O2 %s -o %t2
// RUN: sh -c '%run %t0 exit; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=EXIT %s
// RUN: sh -c '%run %t2 exit; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=EXIT %s
// RUN: sh -c '%run %t2 nested; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=EXIT %s
// RUN: sh -c '%run %t0 quick; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=QUICK %s
// RUN: sh -c '%run %t2 quick; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=QUICK %s
// RUN: not --crash %run %t2 longjmp 2>&1 | FileCheck --check-prefix=LJ %s
// The plain-C baseline (--no-stm) does the same: the blocks end at exit, their on-commit
// callbacks run, the handlers run outside them and the other thread's blocks go on (before,
// no callback ran and the handler ran with the global lock held, in_atomic=1).
// RUN: %stmcc --no-stm -O2 %s -o %tb
// RUN: sh -c '%run %tb exit; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=EXIT %s
// RUN: sh -c '%run %tb nested; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=EXIT %s
// RUN: sh -c '%run %tb quick; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=QUICK %s
// RUN: sh -c 'STM_STATS=1 %run %t2 quick; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=QSTATS %s
// RUN: sh -c 'STM_INJECT_ABORTS=1 %run %t2 onabort; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=ONABORT %s
// EXIT: on_commit: n=5
// EXIT: handler: n=5 in_atomic=0 thread saw 5
// EXIT-NOT: stmc:
// EXIT: exit status 3
// QUICK: on_commit: n=6
// QUICK: handler: n=6 in_atomic=0
// QUICK-NOT: stmc:
// QUICK: exit status 4
// LJ: stmc: an atomic block was left by longjmp
// STM_STATS=1 prints the statistics at quick_exit too (at_quick_exit; before: only at exit).
// QSTATS: handler: n=6 in_atomic=0
// QSTATS: stmc statistics
// QSTATS: commits_atomic
// QSTATS: exit status 4
// exit() from an stm_on_abort callback abandons the rolled-back block: the handlers run outside
// it and may open blocks (before: they were taken for the callback touching the heap).
// ONABORT: handler: n=7 in_atomic=0
// ONABORT-NOT: stmc:
// ONABORT: exit status 6
// exit and quick_exit (which C11 allows) in a signal handler, while blocks run on two threads
// or while code outside blocks writes the heap: the process exits with the handler's status,
// leaving the interrupted transaction uncommitted.  Before, the handler hung (on the commit
// lock of the commit it interrupted, or it was aborted out of when it made the interrupted
// block inevitable: 9 of 10 for quick_exit, 8 of 10 for exit, 5 of 20 outside blocks).
// RUN: sh -c 'timeout 60 %t2 sigquick; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=SIGQUICK %s
// RUN: sh -c 'timeout 60 %t0 sigquick; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=SIGQUICK %s
// RUN: sh -c 'timeout 60 %t2 sigexit; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=SIGEXIT %s
// RUN: sh -c 'timeout 60 %t2 sigexit_outside; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=SIGEXIT %s
// RUN: sh -c 'STM_STATS=1 timeout 60 %t2 sigexit; echo "exit status $?"' 2>&1 | FileCheck --check-prefix=SIGSTATS %s
// SIGQUICK-NOT: stmc:
// SIGQUICK: exit status 7
// SIGEXIT-NOT: stmc:
// SIGEXIT: exit status 8
// STM_STATS=1 there prints with write(2), not stdio (the interrupted code may hold stderr's
// lock), in stm_stats_print's columns.
// SIGSTATS: stmc statistics ({{[0-9]+}} segments):
// SIGSTATS-NEXT: {{^}}  commits              {{ *[0-9]+}}  transactions committed (atomic blocks and implicit transactions)
// SIGSTATS: {{^}}  fresh_compactions    {{ *[0-9]+}}  write sets and allocation lists rid of dead entries before growing (STM_NO_FRESH_COMPACT)
// SIGSTATS: exit status 8
#include <stmc.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct box { long n; };
static struct box STM_HEAP *g;
static int seen; /* what the watcher read last (atomic builtins) */

static long read_n(void)
{
    long n;
    STM_ATOMIC { n = g->n; }
    return n;
}

static void *watcher(void *arg)
{
    (void)arg;
    for (;;) {
        __atomic_store_n(&seen, (int)read_n(), __ATOMIC_RELEASE);
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static void on_commit(void *a)
{
    (void)a;
    printf("on_commit: n=%ld\n", read_n());
}

static void handler(void)
{
    long n = read_n();
    int in = stm_in_atomic();
    /* The watcher polls every 0.1 ms; give it up to 5 s to see the committed value. */
    int s = 0;
    for (int i = 0; i < 50000 && (s = __atomic_load_n(&seen, __ATOMIC_ACQUIRE)) != 5; i++) {
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    printf("handler: n=%ld in_atomic=%d thread saw %d\n", n, in, s);
    fflush(stdout);
}

static void quick_handler(void)
{
    printf("handler: n=%ld in_atomic=%d\n", read_n(), stm_in_atomic());
    fflush(stdout);
}

static jmp_buf env;

static void give_up(void *a)
{
    (void)a;
    exit(6);
}

static __attribute__((noinline)) void left_by_longjmp(void)
{
    STM_ATOMIC {
        g->n = 9;
        longjmp(env, 1);
    }
}

static void on_alarm_quick(int sig)
{
    (void)sig;
    quick_exit(7);
}

static void on_alarm_exit(int sig)
{
    (void)sig;
    exit(8);
}

static void *spin_blocks(void *arg)
{
    (void)arg;
    for (;;)
        STM_ATOMIC {
            g->n++;
        }
    return NULL;
}

/* Blocks (or, outside, heap writes with an atomic each: they end the implicit transaction)
 * until a 20 ms timer's handler exits; a pass over many timers, each one landing elsewhere. */
static void until_alarm(void (*h)(int), int outside)
{
    signal(SIGALRM, h);
    pthread_t t;
    pthread_create(&t, NULL, spin_blocks, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    static long ticks;
    for (;;) {
        if (outside) {
            g->n++;
            __atomic_fetch_add(&ticks, 1, __ATOMIC_SEQ_CST);
        } else {
            STM_ATOMIC {
                g->n--;
            }
        }
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "exit";
    g = stm_alloc(sizeof *g);
    if (!strcmp(mode, "sigquick"))
        until_alarm(on_alarm_quick, 0);
    if (!strcmp(mode, "sigexit"))
        until_alarm(on_alarm_exit, 0);
    if (!strcmp(mode, "sigexit_outside"))
        until_alarm(on_alarm_exit, 1);
    if (!strcmp(mode, "quick")) {
        at_quick_exit(quick_handler);
        STM_ATOMIC {
            g->n = 6;
            stm_on_commit(on_commit, NULL);
            quick_exit(4);
        }
        return 0;
    }
    if (!strcmp(mode, "onabort")) {
        g->n = 7;
        at_quick_exit(quick_handler);
        atexit(quick_handler);
        STM_ATOMIC {
            stm_on_abort(give_up, NULL);
            g->n = 8;
        }
        return 0;
    }
    if (!strcmp(mode, "longjmp")) {
        if (!setjmp(env))
            left_by_longjmp();
        exit(5);
    }
    pthread_t t;
    pthread_create(&t, NULL, watcher, NULL);
    atexit(handler);
    STM_ATOMIC {
        g->n = 5;
        stm_on_commit(on_commit, NULL);
        if (!strcmp(mode, "nested")) {
            STM_ATOMIC {
                if (g->n == 5)
                    exit(3);
            }
        }
        exit(3);
    }
    return 0;
}
