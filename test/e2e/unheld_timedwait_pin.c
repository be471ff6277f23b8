// A housekeeping thread that wrote some heap pages once and then waits in a loop of short
// timed condition waits, never touching the heap again: each wake-up takes its segment back
// (a condition wait retakes it with the mutex let go) and the next wait gives it back, with
// no transaction between.  Its segment must not count as "just given back" at each such
// release (STM_UNHELD_RESET_US: the time counts from the last release after the segment ran
// a transaction), else it pinned the commit log up to STM_LOG_MAX entries while another
// thread committed 128 KiB blocks: a review's run peaked at ~700 MB against 12-20 MB before.
// Here 20,000 such commits, the keeper's writes 40 ms after the start, among them (as in the
// review's program): the peak RSS stays within 100 MB of the start (~20 MB; ~690 MB before),
// the segment being reset once the bound passed.  STM_UNHELD_RESET_US=0 (reset at every
// trim): the same.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t -lpthread
// RUN: %run %t | FileCheck %s
// RUN: env STM_UNHELD_RESET_US=0 %run %t | FileCheck %s
// CHECK: peak RSS growth under 100 MB: yes
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#define BIG (128 * 1024 / 8) /* longs per commit: 128 KiB */
#define COMMITS 20000

typedef STM_HEAP struct box {
    long a[64 * 512];
    long big[BIG];
} box_t;

static box_t *b;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stop;

static void *keeper(void *arg)
{
    (void)arg;
    struct timespec ms40 = {0, 40 * 1000 * 1000};
    nanosleep(&ms40, NULL); /* main commits meanwhile */
    for (int p = 0; p < 64; p++)
        STM_ATOMIC { b->a[p * 512] = p; } /* private pages in its segment */
    pthread_mutex_lock(&m);
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 300 * 1000L; /* 300 us */
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&cv, &m, &ts);
    }
    pthread_mutex_unlock(&m);
    return NULL;
}

int main(void)
{
    b = stm_alloc(sizeof *b);
    pthread_t t;
    pthread_create(&t, NULL, keeper, NULL);
    struct timespec ms20 = {0, 20 * 1000 * 1000};
    nanosleep(&ms20, NULL);
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    for (int i = 0; i < COMMITS; i++)
        STM_ATOMIC {
            for (long k = 0; k < BIG; k += 2)
                b->big[k] = i;
        }
    getrusage(RUSAGE_SELF, &r1);
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    long growth = (r1.ru_maxrss - r0.ru_maxrss) / 1024;
    printf("peak RSS growth under 100 MB: %s\n", growth < 100 ? "yes" : "no");
    fprintf(stderr, "(peak RSS grew by %ld MB)\n", growth);
    return 0;
}
