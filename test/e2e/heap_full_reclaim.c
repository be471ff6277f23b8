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
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
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

int main(int argc, char **argv)
{
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
