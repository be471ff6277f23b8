// An allocation that finds the heap full first gets back the frees that no snapshot can see
// any more, at once, and tries again (counter reclaims_for_room).  Before, those waited for
// the next commit's lazy scan (every 8th commit with a free pending): a vector grown by exact
// page counts (STM_NO_REALLOC_SLACK=1) in atomic blocks left 8 old copies waiting, and a
// 64 MiB heap ran out at 9 MiB of vector ("heap exhausted").  With a second thread idle
// after one block, whose kept snapshot pins the frees until it is let go (tx.c,
// tx_quiesce_idle_locked), and with the slack, too.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: env STM_HEAP_MB=64 STM_NO_REALLOC_SLACK=1 %run %t | FileCheck %s --check-prefixes=CHECK,FULL
// RUN: env STM_HEAP_MB=64 STM_NO_REALLOC_SLACK=1 %run %t idle | FileCheck %s --check-prefixes=CHECK,FULL
// RUN: env STM_HEAP_MB=64 %run %t | FileCheck %s
// CHECK: vector of 14 MiB, bytes ok
// FULL: room got back: yes
// "small": a heap full of 1 KiB objects, all freed: the next 1 KiB allocation takes one back
// (the frees went to the segment's free list, and only a new chunk was tried).  "race": the
// heap full of 1-page objects, all freed; two threads then each take a quarter of it at once:
// the second found the queue emptied by the first, still handing the pages back, and stopped
// "heap exhausted" (10 of 10).  (Both a review's finds.)
// RUN: env STM_HEAP_MB=16 %run %t small | FileCheck %s --check-prefix=SMALL
// RUN: env STM_HEAP_MB=64 %run %t race | FileCheck %s --check-prefix=RACE
// RUN: env STM_HEAP_MB=16 %run %t race | FileCheck %s --check-prefix=RACE
// With the frees handed back under the lock (STM_NO_UNLOCKED_REUSE=1) too (the first version
// counted only those handed back after it, and gave up at once there):
// RUN: env STM_HEAP_MB=16 STM_NO_UNLOCKED_REUSE=1 %run %t small | FileCheck %s --check-prefix=SMALL
// RUN: env STM_HEAP_MB=64 STM_NO_UNLOCKED_REUSE=1 %run %t race | FileCheck %s --check-prefix=RACE
// RUN: env STM_HEAP_MB=64 STM_NO_UNLOCKED_REUSE=1 STM_NO_REALLOC_SLACK=1 %run %t | FileCheck %s --check-prefixes=CHECK,FULL
// SMALL: small: 10 allocated after the heap filled
// RACE: race: both quarters allocated
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STEP 4096
#define TARGET (14l << 20)

struct box {
    unsigned char STM_HEAP *v;
    long n;
};
static struct box STM_HEAP *box;
static volatile int done;

static void *idle(void *arg)
{
    (void)arg;
    STM_ATOMIC { box->n += 0; } /* keeps its snapshot: no safe point below */
    while (!done)
        usleep(1000);
    return NULL;
}

uint64_t _stm_test_heap_used(void);
static long npages;
static volatile int ready;

static void *grab(void *arg)
{
    __atomic_fetch_add(&ready, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < 2)
        continue;
    STM_ATOMIC {
        char STM_HEAP *p = stm_alloc((size_t)(npages / 4) * 4096);
        p[0] = 1;
    }
    return arg;
}

static int small_or_race(const char *mode)
{
    long limit = (long)atoi(getenv("STM_HEAP_MB")) << 20;
    size_t sz = !strcmp(mode, "small") ? 1024 : 4096;
    char STM_HEAP **v = malloc((size_t)(limit / (long)sz) * sizeof *v);
    long n = 0;
    /* fill: the heap's top at the limit, every chunk of small objects full */
    while (_stm_test_heap_used() + (sz == 4096 ? 4096 : 0) < (uint64_t)limit ||
           (sz == 1024 && n % 64 != 0))
        v[n++] = stm_alloc(sz);
    if (sz == 1024) {
        STM_ATOMIC {
            for (long i = 0; i < n; i++)
                stm_free(v[i]);
        }
        for (int i = 0; i < 10; i++) {
            char STM_HEAP *p = stm_alloc(sz);
            p[0] = 1;
        }
        printf("small: 10 allocated after the heap filled\n");
        return 0;
    }
    npages = n;
    STM_ATOMIC { /* every other page first: the runs are merged only as they come back */
        for (long i = (n - 1) & ~1l; i >= 0; i -= 2)
            stm_free(v[i]);
        for (long i = (n - 1) & 1 ? n - 1 : n - 2; i >= 1; i -= 2)
            stm_free(v[i]);
    }
    pthread_t a, b;
    pthread_create(&a, NULL, grab, NULL);
    pthread_create(&b, NULL, grab, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("race: both quarters allocated\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "small") || !strcmp(argv[1], "race")))
        return small_or_race(argv[1]);
    box = stm_alloc(sizeof *box);
    pthread_t t;
    int with_idle = argc > 1 && !strcmp(argv[1], "idle");
    if (with_idle)
        pthread_create(&t, NULL, idle, NULL);
    struct stm_stats st0, st1;
    stm_stats_get(&st0);
    while (box->n < TARGET) {
        STM_ATOMIC {
            long n = box->n;
            box->v = stm_realloc(box->v, (size_t)(n + STEP));
            box->v[n] = (unsigned char)(n / STEP);
            box->v[n + STEP - 1] = (unsigned char)(n / STEP + 1);
            box->n = n + STEP;
        }
    }
    stm_stats_get(&st1);
    done = 1;
    if (with_idle)
        pthread_join(t, NULL);
    int ok = 1;
    for (long n = 0; n < TARGET; n += STEP)
        ok &= box->v[n] == (unsigned char)(n / STEP) && box->v[n + STEP - 1] == (unsigned char)(n / STEP + 1);
    printf("vector of %ld MiB, bytes %s\n", box->n >> 20, ok ? "ok" : "WRONG");
    printf("room got back: %s\n", st1.reclaims_for_room > st0.reclaims_for_room ? "yes" : "no");
    return 0;
}
