// More threads than segments, and threads that block in POSIX waits (a barrier, a condition
// variable, a semaphore) for a thread that still needs a segment: a blocking wait gives the
// caller's segment back (as pthread_join does), so the last thread gets one and releases the
// others.  Before, two threads blocked in pthread_barrier_wait held both segments
// (STM_SEGMENTS=2) and the third waited for a segment forever (8 of 8 runs hung).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=2 timeout 60 %t | FileCheck %s
// RUN: env STM_SEGMENTS=1 timeout 60 %t | FileCheck %s
// CHECK: barrier: 6
// CHECK-NEXT: cond: 6
// CHECK-NEXT: sem: 6
#include "test.h"
#include <semaphore.h>
#include <unistd.h>

#define T 3
static long STM_HEAP *ctr;
static pthread_barrier_t bar;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go;
static sem_t sem;
static int mode; /* 0 barrier, 1 condition variable, 2 semaphore */

static void add1(void)
{
    STM_ATOMIC {
        WR(*ctr, RD(*ctr) + 1);
    }
}

static void *worker(void *arg)
{
    long id = (long)arg;
    usleep((useconds_t)id * 50000); /* the last one arrives after the others block */
    add1();                         /* now this thread holds a segment */
    if (mode == 0) {
        pthread_barrier_wait(&bar);
    } else if (mode == 1) {
        pthread_mutex_lock(&mu);
        if (id == T - 1) {
            go = 1;
            pthread_cond_broadcast(&cv);
        }
        while (!go)
            pthread_cond_wait(&cv, &mu);
        pthread_mutex_unlock(&mu);
    } else {
        if (id == T - 1)
            for (int i = 0; i < T - 1; i++)
                sem_post(&sem);
        else
            sem_wait(&sem);
    }
    add1();
    return NULL;
}

static void phase(const char *name)
{
    STM_ATOMIC {
        WR(*ctr, 0);
    }
    pthread_t t[T];
    for (long i = 0; i < T; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (long i = 0; i < T; i++)
        pthread_join(t[i], NULL);
    long c = 0;
    STM_ATOMIC {
        c = RD(*ctr);
    }
    printf("%s: %ld\n", name, c);
    fflush(stdout);
    CHECK(c == 2 * T);
    mode++;
}

int main(void)
{
    STM_ATOMIC {
        ctr = stm_alloc(sizeof *ctr);
    }
    pthread_barrier_init(&bar, NULL, T);
    sem_init(&sem, 0, 0);
    phase("barrier");
    phase("cond");
    phase("sem");
    return 0;
}
