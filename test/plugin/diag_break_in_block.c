// `break` or `continue` written directly in an atomic block that a loop or switch encloses
// leaves the block (STM_ATOMIC is a loop), not the enclosing loop or switch: warned, with
// file:line (a block in a loop, in a while loop, in a switch, in a loop in a switch).  Not
// warned: a block in no loop or switch (`break` can only mean "leave the block"), a break or
// continue inside a loop or switch of the block's own, a block in a macro's
// `do { ... } while (0)` (leaving the block leaves its one pass too), and `stmcc --no-stm`
// (no plugin).  The
// program shows what the statements do, the same in both builds: the block's loop runs all
// its iterations.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc --no-stm -O2 -Wall -Werror %s -o %tb
// RUN: %run %t | FileCheck %s --check-prefix=EXEC
// RUN: %run %tb | FileCheck %s --check-prefix=EXEC
// -w silences them and -Werror makes them errors (clang maps no flag to a plugin's own
// diagnostics; the plugin reads both):
// RUN: %stmcc -O2 -w -c %s -o /dev/null 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
// RUN: not %stmcc -O2 -Werror -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERROR
// QUIET-NOT: {{.}}
// ERROR: error: stmc: 'break' in an atomic block leaves the block
// CHECK: diag_break_in_block.c:[[@LINE+23]]:{{[0-9]+}}: warning: stmc: 'break' in an atomic block leaves the block (which commits), not the enclosing loop: STM_ATOMIC is a loop (hint: set a flag in the block and break after it)
// CHECK: diag_break_in_block.c:[[@LINE+31]]:{{[0-9]+}}: warning: stmc: 'continue' in an atomic block leaves the block (which commits), not the iteration of the enclosing loop
// CHECK: diag_break_in_block.c:[[@LINE+41]]:{{[0-9]+}}: warning: stmc: 'break' in an atomic block leaves the block (which commits), not the enclosing switch
// CHECK: diag_break_in_block.c:[[@LINE+73]]:{{[0-9]+}}: warning: stmc: 'break' in an atomic block leaves the block (which commits), not the enclosing loop
// CHECK: 4 warnings generated.
// EXEC: loop: i=10 v=10
// EXEC: while: n=10
// EXEC: switch: 2
// EXEC: alone: 1
// EXEC: macro: 12
#include <stdio.h>
#include <stmc.h>

typedef STM_HEAP struct c { long v; } c_t;

int main(void)
{
    c_t *c = stm_alloc(sizeof(struct c));
    int i;
    for (i = 0; i < 10; i++) {
        STM_ATOMIC {
            c->v++;
            if (c->v == 3)
                break;
        }
    }
    printf("loop: i=%d v=%ld\n", i, c->v);
    int n = 0;
    while (n < 10) {
        n++;
        STM_ATOMIC {
            if (c->v > 0)
                continue;
            c->v = 0;
        }
    }
    printf("while: n=%d\n", n);
    int r = 0;
    switch (n) {
    case 10:
        STM_ATOMIC {
            r = 1;
            if (c->v)
                break;
        }
        r = 2;
        break;
    default:
        r = 3;
    }
    printf("switch: %d\n", r);
    int alone = 0;
    STM_ATOMIC {
        for (int k = 0; k < 3; k++) {
            if (k == 1)
                continue;
            if (k == 2)
                break;
        }
        switch (c->v) {
        case 10:
            alone = 1;
            break;
        default:
            while (1)
                break;
        }
        if (c->v)
            break;
        alone = 2;
    }
    switch (alone) {
    case 1:
        for (;;) {
            STM_ATOMIC {
                if (alone)
                    break;
            }
            break;
        }
    }
    printf("alone: %d\n", alone);
#define ADD_UNLESS_FULL(x)                                                                     \
    do {                                                                                       \
        STM_ATOMIC {                                                                           \
            if ((x)->v >= 12)                                                                  \
                break;                                                                         \
            (x)->v++;                                                                          \
        }                                                                                      \
    } while (0)
    for (int k = 0; k < 5; k++)
        ADD_UNLESS_FULL(c);
    printf("macro: %ld\n", c->v);
    return 0;
}
