// STM_CONFLICTS=N also says which atomic blocks calls made inevitable, and which calls: the
// pairs (the block, the call's file:line:col) by count, after the conflicts.  Here a block
// calls a helper of its own that formats a key with snprintf (a call stmc did not compile:
// the block becomes inevitable there, which the pass's remark cannot attribute to the
// block), 300 times; another block calls fflush directly, 100 times; a third makes no call.
// Without the flag nothing is printed.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 -g %s -o %t
// RUN: env STM_CONFLICTS=5 %run %t 2>&1 | FileCheck %s
// RUN: %run %t 2>&1 | FileCheck %s --check-prefix=OFF
// CHECK: total 400
// CHECK: stmc conflicts: none
// CHECK-NEXT: stmc inevitable: atomic blocks made inevitable by a call 400 times; the 2 most frequent of 2 (block, call) pairs:
// CHECK-NEXT:   300 times: {{.*}}conflict_report_inevitable.c:[[@LINE+22]] (main)
// CHECK-NEXT:     by the call at {{.*}}conflict_report_inevitable.c:[[@LINE+13]]:5
// CHECK-NEXT:   100 times: {{.*}}conflict_report_inevitable.c:[[@LINE+25]] (main)
// CHECK-NEXT:     by the call at {{.*}}conflict_report_inevitable.c:[[@LINE+24]]:{{[0-9]+}}
// OFF: total 400
// OFF-NOT: stmc inevitable
#include <stmc.h>
#include <stdio.h>

typedef STM_HEAP struct c { long v; char key[16]; } c_t;
static c_t *g;

__attribute__((noinline)) static void name_key(char *buf, int i)
{
    snprintf(buf, 16, "k%d", i);
}

int main(void)
{
    g = stm_alloc(sizeof *g);
    char buf[16];
    for (int i = 0; i < 300; i++)
        STM_ATOMIC {
            name_key(buf, i);
            g->v += buf[1] != 0;
        }
    for (int i = 0; i < 100; i++)
        STM_ATOMIC { g->v += fflush(stdout) == 0; }
    for (int i = 0; i < 100; i++)
        STM_ATOMIC { g->v += 0; }
    printf("total %ld\n", g->v);
    fflush(stdout); /* (before the report, which comes at exit) */
    return 0;
}
