// STM_ATOMIC as the body of an `if`, with and without an `else`, draws no warning (it drew
// -Wdangling-else pointing into stmc.h, where the macro had an `if (0) {} else` of its own),
// the `else` belongs to the user's `if`, `STM_ATOMIC;` draws no -Wempty-body, and `break`
// directly in a block in no loop leaves the block without a warning.  Through the plugin at
// -O0 and -O2 and the plain-C build, all with -Werror.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 -Wall -Wextra -Werror %s -o %t0
// RUN: %run %t0 | FileCheck %s
// RUN: %stmcc -O2 -Wall -Wextra -Werror %s -o %t2
// RUN: %run %t2 | FileCheck %s
// RUN: %stmcc --no-stm -O2 -Wall -Wextra -Werror %s -o %tb
// RUN: %run %tb | FileCheck %s
// CHECK: then 1, else 0
// CHECK: then 0, else 1
// CHECK: empty block then 7
// CHECK: left by break: 1
#include <stdio.h>
#include <stmc.h>

typedef STM_HEAP struct counter { long then, other; } counter_t;

static void run(counter_t *c, int cond)
{
    if (cond)
        STM_ATOMIC {
            c->then++;
        }
    else
        STM_ATOMIC {
            c->other++;
        }
    long t = 0, o = 0;
    if (cond) STM_ATOMIC { t = c->then; o = c->other; }
    if (!cond) STM_ATOMIC { t = c->then; o = c->other; }
    printf("then %ld, else %ld\n", t, o);
}

int main(void)
{
    counter_t *a = stm_alloc(sizeof(struct counter)), *b = stm_alloc(sizeof(struct counter));
    run(a, 1);
    run(b, 0);
    STM_ATOMIC;
    long v = 7;
    printf("empty block then %ld\n", v);
    STM_ATOMIC {
        a->then = 1;
        if (a->then)
            break;
        a->then = 2;
    }
    long got = 0;
    STM_ATOMIC { got = a->then; }
    printf("left by break: %ld\n", got);
    return 0;
}
