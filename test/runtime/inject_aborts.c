// STM_INJECT_ABORTS=N aborts about one in N atomic blocks at its end and runs it again: the
// program's results must not change, only the count of runs.  Each kind of block counts its
// runs in a volatile local declared outside the block (kept across the abort's longjmp):
// runs == blocks + aborts (the injected ones, counted as aborts_test, and unmarked upgrades).
// Writer blocks (their writes are rolled back before the retry), read-only blocks (unmarked
// attempts), nested blocks (only the outermost end aborts) and inevitable blocks (never
// aborted).  With N=1 every end aborts, so each block aborts STM_MAX_ABORTS times in a row
// and then runs inevitable.  Without the flag nothing is injected.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: env STM_INJECT_ABORTS=3 %run %t0 | FileCheck %s --check-prefix=SOME
// RUN: env STM_INJECT_ABORTS=3 %run %t2 | FileCheck %s --check-prefix=SOME
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=4 %run %t2 | FileCheck %s --check-prefix=ALL
// RUN: %run %t2 | FileCheck %s --check-prefix=OFF
// SOME: writer: counter ok, runs == blocks + aborts, aborted: yes
// SOME-NEXT: reader: sum ok, runs == blocks + aborts, aborted: yes
// SOME-NEXT: nested: counter ok, runs == blocks + aborts, aborted: yes
// SOME-NEXT: inevitable: counter ok, runs == blocks + aborts, aborted: no
// SOME-NEXT: DONE
// ALL: writer: counter ok, runs == blocks + aborts, aborted: yes, injected per block 4
// ALL-NEXT: reader: sum ok, runs == blocks + aborts, aborted: yes, injected per block 4
// ALL-NEXT: nested: counter ok, runs == blocks + aborts, aborted: yes, injected per block 4
// ALL-NEXT: inevitable: counter ok, runs == blocks + aborts, aborted: no, injected per block 0
// ALL-NEXT: DONE
// OFF: writer: counter ok, runs == blocks + aborts, aborted: no
// OFF-NEXT: reader: sum ok, runs == blocks + aborts, aborted: no
// OFF-NEXT: nested: counter ok, runs == blocks + aborts, aborted: no
// OFF-NEXT: inevitable: counter ok, runs == blocks + aborts, aborted: no
// OFF-NEXT: DONE
#include "test.h"

#define BLOCKS 3000

typedef struct { int64_t v, pad; } cell_t;
static cell_t STM_HEAP *a, *b;
static int all_abort; /* STM_INJECT_ABORTS=1: report runs per block */

static struct stm_stats before;

static void report(const char *what, bool ok, long runs)
{
    struct stm_stats now = stats();
    uint64_t aborts = now.aborts - before.aborts, injected = now.aborts_test - before.aborts_test;
    CHECK(ok);
    CHECK_EQ(runs, BLOCKS + (long)aborts);
    printf("%s: %s ok, runs == blocks + aborts, aborted: %s", what,
           strcmp(what, "reader") ? "counter" : "sum", injected ? "yes" : "no");
    if (all_abort) {
        CHECK_EQ(injected % BLOCKS, 0);
        printf(", injected per block %ld", (long)(injected / BLOCKS));
    }
    printf("\n");
    before = now;
}

int main(void)
{
    const char *e = getenv("STM_INJECT_ABORTS");
    all_abort = e && atoi(e) == 1;
    STM_ATOMIC {
        a = stm_alloc(sizeof *a);
        b = stm_alloc(sizeof *b);
        WR(a->v, 0);
        WR(b->v, 5);
    }

    /* Writer blocks: the write is undone by each abort, so the counter counts blocks. */
    before = stats();
    volatile long runs = 0;
    for (int i = 0; i < BLOCKS; i++) {
        STM_ATOMIC {
            runs++;
            WR(a->v, RD(a->v) + 1);
        }
    }
    report("writer", RD(a->v) == BLOCKS, runs);

    /* Read-only blocks: unmarked attempts, aborted at their end as well.  The sum is assigned,
     * not accumulated, in the block: a retry recomputes it. */
    runs = 0;
    int64_t total = 0;
    for (int i = 0; i < BLOCKS; i++) {
        volatile int64_t s = 0;
        STM_ATOMIC {
            runs++;
            s = RD(a->v) + RD(b->v);
        }
        total += s;
    }
    report("reader", total == (int64_t)BLOCKS * (BLOCKS + 5), runs);

    /* Nested blocks are flattened: the inner end commits nothing and is never aborted; the
     * outer end's abort returns to the outer block's start. */
    runs = 0;
    for (int i = 0; i < BLOCKS; i++) {
        STM_ATOMIC {
            runs++;
            STM_ATOMIC {
                WR(b->v, RD(b->v) + 1);
            }
        }
    }
    report("nested", RD(b->v) == 5 + BLOCKS, runs);

    /* Inevitable blocks cannot abort. */
    runs = 0;
    for (int i = 0; i < BLOCKS; i++) {
        STM_ATOMIC {
            runs++;
            stm_become_inevitable("test");
            WR(a->v, RD(a->v) - 1);
        }
    }
    report("inevitable", RD(a->v) == 0, runs);
    printf("DONE\n");
    return 0;
}
