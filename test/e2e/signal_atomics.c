// A signal handler with an atomic operation on plain memory (a tick counter, legal C) may
// interrupt heap code running outside atomic blocks, also inside the runtime or between a
// barrier and its store: the handler's _stm_sync must leave the interrupted implicit
// transaction alone (the runtime runs the program's handlers through a trampoline; sigaction
// and signal are interposed).  Before, the thread hung on its own commit lock (6 of 7 runs) or
// corrupted the malloc heap.  sigaction reports the program's handler as the old one, for
// handlers installed with sigaction and with signal.  A watchdog ends a stalled run after 60 s.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t 60 | FileCheck %s
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t0 20 | FileCheck %s
// CHECK: old handler reported: sigaction 1, signal 1
// CHECK: lost 0, ticks {{[1-9]}}
#include <stmc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static _Atomic long ticks;
static void on_alarm(int sig)
{
    (void)sig;
    atomic_fetch_add_explicit(&ticks, 1, memory_order_relaxed);
}
static void on_usr1(int sig) { (void)sig; }

#define LEN (1 << 16)
static long STM_HEAP *a;
static long expect[LEN];

static void *checker(void *arg)
{
    long *bad = arg, n = 0;
    STM_ATOMIC {
        n = 0;
        for (long i = 0; i < LEN; i++)
            n += a[i] != expect[i];
    }
    *bad = n;
    return NULL;
}

static void *watchdog(void *arg)
{
    (void)arg;
    time_t end = time(NULL) + 60; /* the timer's signals cut sleeps short */
    while (time(NULL) < end)
        sleep(1);
    printf("stalled\n");
    fflush(stdout);
    _Exit(1);
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 60;
    a = stm_alloc(LEN * sizeof(long));
    pthread_t w;
    pthread_create(&w, NULL, watchdog, NULL);

    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGALRM, NULL, &old);
    signal(SIGUSR1, on_usr1);
    printf("old handler reported: sigaction %d, signal %d\n", old.sa_handler == on_alarm,
           signal(SIGUSR1, SIG_DFL) == on_usr1);

    struct itimerval it = {{0, 20}, {0, 20}};
    setitimer(ITIMER_REAL, &it, NULL);
    long lost = 0;
    for (long r = 1; r <= rounds; r++) {
        for (long i = 0; i < LEN; i++) {
            a[i] = r * LEN + i; /* an implicit transaction, interrupted by the timer */
            expect[i] = r * LEN + i;
        }
        pthread_t t;
        long bad = 0;
        pthread_create(&t, NULL, checker, &bad); /* ends the implicit transaction */
        pthread_join(t, NULL);
        lost += bad;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("lost %ld, ticks %ld\n", lost, (long)ticks);
    return lost != 0;
}
