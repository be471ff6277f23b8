// A condition wait gives its segment back (block_more_threads_than_segments.c), and returns
// holding the user's mutex: then the thread must not wait for a segment while it holds the
// mutex, since the threads holding the segments may be waiting for that mutex.  Here, with
// STM_SEGMENTS=2: T1 (holding a segment) waits on the condition; T2 and T3 hold segments,
// T2 signals, and both take turns on the mutex (touching the heap between turns) until T1 is
// done; T1 wakes up holding the mutex and reads the heap.  The
// wait now lets the mutex go while it takes a segment (a spurious wakeup).  Before, T1 waited
// for a segment holding the mutex, T2 and T3 for the mutex holding the segments: a hang.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=2 timeout 60 %t | FileCheck %s
// CHECK: T1 read 1
#include "test.h"
#include <unistd.h>

static int64_t STM_HEAP *cell;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready;
static int64_t t1_read = -1;
static int t1_done;

static void touch(void)
{
    STM_ATOMIC {
        WR(*cell, RD(*cell) + 1);
    }
}

static void *t1(void *a)
{
    (void)a;
    touch(); /* it holds a segment until the wait */
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&c, &m);
    int64_t v = 0;
    STM_ATOMIC {
        v = RD(*cell) > 0;
    }
    t1_read = v;
    t1_done = 1;
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *t23(void *a)
{
    long id = (long)a;
    touch(); /* holds a segment from now on */
    usleep(50000 + 10000 * (useconds_t)id);
    if (id == 2) {
        pthread_mutex_lock(&m);
        ready = 1;
        pthread_cond_signal(&c);
        pthread_mutex_unlock(&m);
    }
    /* Until T1 is done: take the mutex (holding a segment) to look, then touch the heap (a
     * block whose end gives the segment back when someone waits for one).  Never the heap
     * under the mutex: a thread that needs a segment while it holds a mutex that the
     * segments' holders wait for hangs (docs/api.md, STM_SEGMENTS). */
    for (;;) {
        pthread_mutex_lock(&m);
        int done = t1_done;
        pthread_mutex_unlock(&m);
        if (done)
            break;
        touch();
        usleep(1000);
    }
    return NULL;
}

int main(void)
{
    cell = stm_alloc(sizeof *cell);
    pthread_t a, b, d;
    pthread_create(&a, NULL, t1, NULL);
    usleep(20000);
    pthread_create(&b, NULL, t23, (void *)2);
    pthread_create(&d, NULL, t23, (void *)3);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(d, NULL);
    int64_t v = 0;
    STM_ATOMIC {
        v = RD(*cell);
    }
    printf("T1 read %lld, counter %lld\n", (long long)t1_read, (long long)v);
    return 0;
}
