// More threads than segments, and threads that block in POSIX or C11 waits (a barrier, a
// condition variable, a semaphore; timed and clock variants) for a thread that still needs a
// segment: a blocking wait gives the caller's segment back (as pthread_join does), so the last
// thread gets one and releases the others.  Before, two threads blocked in pthread_barrier_wait
// held both segments (STM_SEGMENTS=2) and the third waited for a segment forever (8 of 8 runs
// hung); later cnd_wait, cnd_timedwait, pthread_cond_clockwait and sem_clockwait still did
// (3 of 3 each).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=2 timeout 60 %t | FileCheck %s
// RUN: env STM_SEGMENTS=1 timeout 60 %t | FileCheck %s
// CHECK: barrier: 6
// CHECK-NEXT: cond: 6
// CHECK-NEXT: sem: 6
// CHECK-NEXT: cond_timedwait: 6
// CHECK-NEXT: cond_clockwait: 6
// CHECK-NEXT: cnd_wait: 6
// CHECK-NEXT: cnd_timedwait: 6
// CHECK-NEXT: sem_timedwait: 6
// CHECK-NEXT: sem_clockwait: 6
#define _GNU_SOURCE /* the clock variants */
#include "test.h"
#include <semaphore.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#define T 3
static long STM_HEAP *ctr;
static pthread_barrier_t bar;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go;
static sem_t sem;
static mtx_t mu11;
static cnd_t cv11;
enum { BARRIER, COND, SEM, COND_TIMED, COND_CLOCK, CND, CND_TIMED, SEM_TIMED, SEM_CLOCK };
static int mode;

static struct timespec in_a_minute(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    ts.tv_sec += 60;
    return ts;
}

static void cond_wait(void)
{
    struct timespec rt = in_a_minute(CLOCK_REALTIME), mt = in_a_minute(CLOCK_MONOTONIC);
    switch (mode) {
    case COND: pthread_cond_wait(&cv, &mu); break;
    case COND_TIMED: pthread_cond_timedwait(&cv, &mu, &rt); break;
    case COND_CLOCK: pthread_cond_clockwait(&cv, &mu, CLOCK_MONOTONIC, &mt); break;
    case CND: cnd_wait(&cv11, &mu11); break;
    case CND_TIMED: cnd_timedwait(&cv11, &mu11, &rt); break;
    }
}

static void sem_wait_mode(void)
{
    struct timespec rt = in_a_minute(CLOCK_REALTIME), mt = in_a_minute(CLOCK_MONOTONIC);
    if (mode == SEM)
        sem_wait(&sem);
    else if (mode == SEM_TIMED)
        sem_timedwait(&sem, &rt);
    else
        sem_clockwait(&sem, CLOCK_MONOTONIC, &mt);
}

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
    if (mode == BARRIER) {
        pthread_barrier_wait(&bar);
    } else if (mode == CND || mode == CND_TIMED) {
        mtx_lock(&mu11);
        if (id == T - 1) {
            go = 1;
            cnd_broadcast(&cv11);
        }
        while (!go)
            cond_wait();
        mtx_unlock(&mu11);
    } else if (mode == COND || mode == COND_TIMED || mode == COND_CLOCK) {
        pthread_mutex_lock(&mu);
        if (id == T - 1) {
            go = 1;
            pthread_cond_broadcast(&cv);
        }
        while (!go)
            cond_wait();
        pthread_mutex_unlock(&mu);
    } else {
        if (id == T - 1)
            for (int i = 0; i < T - 1; i++)
                sem_post(&sem);
        else
            sem_wait_mode();
    }
    add1();
    return NULL;
}

static void phase(const char *name)
{
    STM_ATOMIC {
        WR(*ctr, 0);
    }
    go = 0;
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
    mtx_init(&mu11, mtx_plain);
    cnd_init(&cv11);
    static const char *const names[] = {"barrier", "cond", "sem", "cond_timedwait",
                                        "cond_clockwait", "cnd_wait", "cnd_timedwait",
                                        "sem_timedwait", "sem_clockwait"};
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
        phase(names[i]);
    return 0;
}
