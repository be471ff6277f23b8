// A variable with __attribute__((cleanup)) declared in an atomic block (also a nested one) is
// warned about with file:line: an attempt that is rolled back jumps back to the block's start
// and skips the cleanup (here a read-only attempt that writes: 'opened' counts the entries the
// cleanup missed).  Not warned: STM_ATOMIC's own frame, a cleanup variable outside blocks, one
// in a function the block calls (docs/api.md says that its cleanups are skipped too), and
// `stmcc --no-stm`, where blocks are never rolled back.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc --no-stm -O2 -Wall -Werror %s -o %tb
// RUN: env STM_STATS=1 %run %t 2>&1 | FileCheck %s --check-prefix=EXEC
// RUN: %run %tb | FileCheck %s --check-prefix=BASE
// CHECK: diag_cleanup_in_block.c:[[@LINE+28]]:{{[0-9]+}}: warning: stmc: 'guard' has __attribute__((cleanup(done))) inside an atomic block: when an attempt of the block is rolled back and run again (a conflict, or a read-only attempt that writes), the jump back skips done for that attempt
// CHECK: diag_cleanup_in_block.c:[[@LINE+32]]:{{[0-9]+}}: warning: stmc: 'inner' has __attribute__((cleanup(done)))
// CHECK: 2 warnings generated.
// EXEC-DAG: missed cleanups: [[MISSED:[1-9][0-9]*]]
// EXEC-DAG: unmarked_upgrades {{ *}}[[MISSED]]
// BASE: missed cleanups: 0
#include <stmc.h>
#include <stdio.h>

typedef STM_HEAP struct { long x; } counter_t;
static _Thread_local volatile long opened; /* (volatile: counts what rollbacks miss) */

static void done(int *p) { (void)p; opened--; }

static void callee(counter_t *g)
{
    int here __attribute__((cleanup(done))) = 0;
    (void)here;
    opened++;
    g->x++;
}

int main(void)
{
    counter_t *g = stm_alloc(sizeof *g);
    for (int i = 0; i < 100; i++) {
        STM_ATOMIC {
            opened++;
            int guard __attribute__((cleanup(done))) = 0;
            (void)guard;
            g->x++;
            STM_ATOMIC {
                opened++;
                int inner __attribute__((cleanup(done))) = 0;
                (void)inner;
            }
        }
    }
    int outside __attribute__((cleanup(done))) = 0;
    (void)outside;
    printf("missed cleanups: %ld\n", opened);
    (void)callee;
    return 0;
}
