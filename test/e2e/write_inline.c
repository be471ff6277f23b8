// The inline write barrier records a granule in the write set itself (counter writes_inline)
// when a marked atomic transaction first stores to a granule of a page that is private in its
// segment; else it calls _stm_write_slow (counter writes_fast), which makes the page private.
// Either way the granule is in the write set: a commit publishes it and an abort restores it.
//   - one block writes 70,000 granules: more than the write set's first capacity, so the
//     inline appends stop at the capacity, the slow path grows the array, and they go on;
//     the same block again as the first transaction of a thread in a segment whose write set
//     was never used (capacity 0 at its start: the growth must turn the inline appends on);
//   - two threads move amounts between random cells of a shared array and, at each block's
//     end, STM_INJECT_ABORTS=4 aborts one block in four: the totals stay exact only if every
//     aborted write, inline or not, is restored, and every committed one published;
//   - STM_NO_WRITE_INLINE=1 (and -stmc-inline-append=0 in the pass): no inline append, the
//     same results.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 -lpthread
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,INLINE
// RUN: env STM_INJECT_ABORTS=4 %run %t0 | FileCheck %s --check-prefixes=CHECK,INLINE
// RUN: %stmcc -O2 %s -o %t2 -lpthread
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,INLINE
// RUN: env STM_INJECT_ABORTS=4 %run %t2 | FileCheck %s --check-prefixes=CHECK,INLINE
// RUN: env STM_NO_WRITE_INLINE=1 STM_INJECT_ABORTS=4 %run %t2 | FileCheck %s --check-prefixes=CHECK,NONE
// RUN: %stmcc -O2 -mllvm -stmc-inline-append=0 %s -o %toff -lpthread
// RUN: env STM_INJECT_ABORTS=4 %run %toff | FileCheck %s --check-prefixes=CHECK,NONE
// CHECK: big block: every granule recorded once: yes
// INLINE-NEXT: big block: inline appends: yes
// NONE-NEXT: big block: inline appends: no
// CHECK-NEXT: big block: committed: yes
// INLINE-NEXT: fresh segment: inline appends: yes
// NONE-NEXT: fresh segment: inline appends: no
// CHECK-NEXT: fresh segment: committed: yes
// CHECK-NEXT: transfers: total kept: yes
// CHECK-NEXT: transfers: moves counted: yes
// INLINE-NEXT: transfers: inline appends: yes
// NONE-NEXT: transfers: inline appends: no
#include "Inputs/cells/cells.h"
#include <pthread.h>
#include <stdint.h>

#define BIG 70000
#define CELLS 512
#define THREADS 2
#define TRANSFERS 20000

static struct cell STM_HEAP *big, *cells;

/* The big block, between two readings of the statistics: big[i].value = i, or .moves. */
static void big_block(int moves, struct stm_stats *before, struct stm_stats *after)
{
    stm_stats_get(before);
    STM_ATOMIC {
        for (long i = 0; i < BIG; i++) {
            if (moves)
                big[i].moves = i;
            else
                big[i].value = i;
        }
    }
    stm_stats_get(after);
}

static void *mover(void *arg)
{
    cells_transfer(cells, CELLS, (uintptr_t)arg, TRANSFERS);
    return NULL;
}

static int fresh_done;
static uint64_t fresh_inline, fresh_fast;

/* The big block once more, as the first transaction of this thread (main keeps its segment). */
static int main_back; /* main holds its segment again after pthread_create parked it */

static void *fresh(void *arg)
{
    (void)arg;
    /* (pthread_create parks main's segment for the new thread while it is the only one used,
     * STM_NO_CREATE_PARK: this thread waits until main took it back, to get a fresh one) */
    while (!__atomic_load_n(&main_back, __ATOMIC_ACQUIRE))
        ;
    struct stm_stats a, b;
    big_block(1, &a, &b);
    fresh_inline = b.writes_inline - a.writes_inline;
    fresh_fast = b.writes_fast - a.writes_fast;
    __atomic_store_n(&fresh_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

int main(void)
{
    big = stm_alloc(BIG * sizeof *big);
    cells = stm_alloc(CELLS * sizeof *cells);
    for (long i = 0; i < CELLS; i++)
        cells[i].value = 1000, cells[i].moves = 0;

    struct stm_stats s0, s1;
    big_block(0, &s0, &s1);
    uint64_t inl = s1.writes_inline - s0.writes_inline, fast = s1.writes_fast - s0.writes_fast;
    /* each marked attempt records every granule once, by one of the two paths (an attempt
     * that STM_INJECT_ABORTS aborted, again; the first, read-only attempt none) */
    printf("big block: every granule recorded once: %s\n",
           yes(inl + fast >= BIG && (inl + fast) % BIG == 0 &&
               (inl + fast) / BIG <= 1 + (s1.aborts - s0.aborts)));
    printf("big block: inline appends: %s\n", yes(inl > 0));
    long total, moves;
    cells_sums(big, BIG, &total, &moves);
    printf("big block: committed: %s\n", yes(total == (long)BIG * (BIG - 1) / 2));

    pthread_t ft;
    pthread_create(&ft, NULL, fresh, NULL);
    (void)cells[0].value;
    __atomic_store_n(&main_back, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&fresh_done, __ATOMIC_ACQUIRE))
        (void)cells[0].value; /* a heap access: this thread keeps its segment */
    pthread_join(ft, NULL);
    printf("fresh segment: inline appends: %s\n", yes(fresh_inline > fresh_fast));
    cells_sums(big, BIG, &total, &moves);
    printf("fresh segment: committed: %s\n", yes(moves == (long)BIG * (BIG - 1) / 2));

    stm_stats_get(&s0);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, mover, (void *)(i + 1));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    stm_stats_get(&s1);
    cells_sums(cells, CELLS, &total, &moves);
    printf("transfers: total kept: %s\n", yes(total == 1000L * CELLS));
    printf("transfers: moves counted: %s\n", yes(moves == 2L * THREADS * TRANSFERS));
    printf("transfers: inline appends: %s\n", yes(s1.writes_inline > s0.writes_inline));
    return 0;
}
