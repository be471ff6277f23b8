// STM_ATOMIC in the places C lets a statement go: an empty block followed by a statement (the
// one-loop macro drew clang's default -Wempty-body there, an error under -Werror), a block as
// an unbraced if branch with an else (which must stay the user's if's), a block as an unbraced
// loop body, blocks left by break and continue, and blocks nested three deep (each block's
// variables are numbered, so that -Wshadow finds none shadowing another's).  Clean under
// -Wall -Wextra -Wshadow -Werror, and each runs as written, at -O0 and -O2, with aborts
// injected at block ends, and as the --no-stm baseline (its own macro, the same shapes).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 -Wall -Wextra -Wshadow -Werror %s -o %t0
// RUN: %stmcc -O2 -Wall -Wextra -Wshadow -Werror %s -o %t2
// RUN: %stmcc --no-stm -O2 -Wall -Wextra -Wshadow -Werror %s -o %tb
// RUN: %run %t0 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=2 %run %t2 | FileCheck %s
// RUN: %run %tb | FileCheck %s
// CHECK: empty: 3
// CHECK-NEXT: if/else: 10 1
// CHECK-NEXT: loop body: 5
// CHECK-NEXT: break: 7, continue: 8
// CHECK-NEXT: nested: 3
#include <stdio.h>
#include <stmc.h>

static long STM_HEAP *cell;

/* clang warns about an empty loop body when the next statement is on the same line or indented
 * as if it were the body; both are written here on purpose. */
static void empty_then_statement(long *n)
{
    STM_ATOMIC; (*n)++;
    STM_ATOMIC ;
        (*n)++;
    for (int i = 0; i < 1; i++) {
        STM_ATOMIC;
        (*n)++;
    }
}

static void if_else(int which, long *elsecount)
{
    if (which)
        STM_ATOMIC { *cell += which; }
    else
        (*elsecount)++;
}

int main(void)
{
    cell = stm_alloc(sizeof *cell);
    long n = 0;
    empty_then_statement(&n);
    printf("empty: %ld\n", n);

    long elses = 0;
    if_else(10, &elses);
    if_else(0, &elses);
    long v = 0;
    STM_ATOMIC { v = *cell; }
    printf("if/else: %ld %ld\n", v, elses);

    STM_ATOMIC { *cell = 0; }
    for (int i = 0; i < 5; i++)
        STM_ATOMIC { *cell += 1; }
    STM_ATOMIC { v = *cell; }
    printf("loop body: %ld\n", v);

    long b = 0, c = 0;
    STM_ATOMIC {
        *cell = 7;
        break;
    }
    STM_ATOMIC {
        b = *cell;
        *cell = 8;
        continue;
    }
    STM_ATOMIC { c = *cell; }
    printf("break: %ld, continue: %ld\n", b, c);

    long depth = 0;
    STM_ATOMIC {
        depth = 1;
        STM_ATOMIC {
            depth++;
            STM_ATOMIC { depth++; }
        }
    }
    printf("nested: %ld\n", depth);
    return 0;
}
