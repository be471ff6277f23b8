// docs/api.md's way to wait for work (STM_ATOMIC, "Waiting for a condition"): producers push
// in a block and post a semaphore from stm_on_commit; consumers wait on it outside the block,
// then pop in a block.  Two producers, two consumers, aborts injected: every item is taken
// once (the sum and the count match), none is lost, no consumer waits for good.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && %run %t | FileCheck %s
// RUN: env STM_INJECT_ABORTS=3 %run %t | FileCheck %s
// RUN: %stmcc --no-stm -O2 %s -o %t.base && %run %t.base | FileCheck %s
// CHECK: taken 20000 sum 200010000 left 0
#include <stmc.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define CAP 64
typedef STM_HEAP struct queue { long head, tail; STM_HEAP long *items; } queue_t;
#define NITEMS 10000

static queue_t *q;
static sem_t items, room;

static void post(void *arg)
{
    (void)arg;
    sem_post(&items);
}

static void *producer(void *arg)
{
    long base = (long)(uintptr_t)arg;
    for (long i = 1; i <= NITEMS; i++) {
        sem_wait(&room); /* (a bounded queue: a free slot is there) */
        STM_ATOMIC {
            q->items[q->tail % CAP] = base + i;
            q->tail++;
            stm_on_commit(post, NULL);
        }
    }
    return NULL;
}

static long taken, sum;
static pthread_mutex_t tally = PTHREAD_MUTEX_INITIALIZER;

static void *consumer(void *arg)
{
    (void)arg;
    for (long i = 0; i < NITEMS; i++) {
        long v;
        sem_wait(&items); /* outside the block: one item is there */
        STM_ATOMIC {
            v = q->items[q->head % CAP];
            q->head++;
        }
        sem_post(&room);
        pthread_mutex_lock(&tally);
        taken++;
        sum += v;
        pthread_mutex_unlock(&tally);
    }
    return NULL;
}

int main(void)
{
    q = stm_alloc(sizeof *q);
    q->items = stm_alloc(CAP * sizeof(long));
    sem_init(&items, 0, 0);
    sem_init(&room, 0, CAP);
    pthread_t p[2], c[2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&p[i], NULL, producer, (void *)(uintptr_t)(i * NITEMS));
        pthread_create(&c[i], NULL, consumer, NULL);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(p[i], NULL);
        pthread_join(c[i], NULL);
    }
    long left;
    STM_ATOMIC {
        left = q->tail - q->head;
    }
    printf("taken %ld sum %ld left %ld\n", taken, sum, left);
    return 0;
}
