// A thread that waits 1 s for the inevitable token gets one warning that names the holder and
// the likely cause.  A block that became inevitable (a C library call) and then waits for a
// thread that touches the heap outside blocks deadlocks (heap code outside blocks needs the
// token), which the --no-stm build does not: a review's programs (a mutex, pthread_join, a
// pipe in such a block) hung without a word.  Here the block waits on a mutex that main holds
// with a time-out of 2.5 s, so that the program ends: main's heap write waits for the block,
// the warning comes after 1 s, then the block gives up the mutex, commits, and main goes on.
// (The holder that runs code outside blocks gets its own text: a loop with no safe point.)
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t 2>&1 | FileCheck %s
// CHECK: block: inevitable
// CHECK-NEXT: stmc: warning: a thread has waited 1 s for an inevitable atomic block (one that made a C library call) in another thread to end
// CHECK-SAME: if that block waits for this thread (a mutex it holds, a join, a pipe it writes), this is a deadlock
// CHECK-NEXT: block: lock timed out
// CHECK-NEXT: main: x 1, y 1
// CHECK-NOT: stmc: warning
#include <stmc.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

struct pair {
    long x, y;
};
static struct pair STM_HEAP *g;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static atomic_int inevitable;

static void *blocker(void *arg)
{
    (void)arg;
    int rc = 0;
    STM_ATOMIC {
        g->x = 1;
        printf("block: inevitable\n"); /* a C library call: the block is inevitable now */
        fflush(stdout);
        atomic_store(&inevitable, 1);
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += 2;
        t.tv_nsec += 500000000;
        if (t.tv_nsec >= 1000000000) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000;
        }
        rc = pthread_mutex_timedlock(&m, &t);
        if (rc == 0)
            pthread_mutex_unlock(&m);
    }
    printf("block: lock %s\n", rc == ETIMEDOUT ? "timed out" : "taken");
    fflush(stdout);
    return NULL;
}

int main(void)
{
    g = stm_alloc(sizeof *g);
    pthread_mutex_lock(&m);
    pthread_t t;
    pthread_create(&t, NULL, blocker, NULL);
    while (!atomic_load(&inevitable))
        ;
    g->y = 1; /* heap code outside blocks: waits for the token */
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    printf("main: x %ld, y %ld\n", g->x, g->y);
    return 0;
}
