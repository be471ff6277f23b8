// A function with an atomic block is never inlined, so the caller's locals that its block
// changes (through a pointer) keep their changed values across retries.  LLVM does not inline
// a function that calls setjmp as a plain call, but with -fexceptions the call is an invoke,
// which its check misses: an always_inline function's block was inlined into its caller
// after the pass had chosen the caller's locals to keep (none: the caller had no block), and
// the caller's count of the block's runs lost every retried run (200 runs counted of 374).
// Aborts are injected at block ends; runs must equal attempts (a volatile global counts
// those) at every -O level, for an always_inline, a static inline and an extern function.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 -fexceptions %s -o %t0
// RUN: %stmcc -O1 -fexceptions %s -o %t1
// RUN: %stmcc -O2 -fexceptions %s -o %t2
// RUN: env STM_INJECT_ABORTS=2 %run %t0 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=2 %run %t1 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=2 %run %t2 | FileCheck %s
// CHECK: always_inline: runs == attempts, retried
// CHECK-NEXT: static inline: runs == attempts, retried
// CHECK-NEXT: extern: runs == attempts, retried
#include <stdio.h>
#include <stmc.h>

struct cell { long n; };
static struct cell STM_HEAP *h;
static volatile long attempts;

static inline __attribute__((always_inline)) void bump_always(long *runs)
{
    STM_ATOMIC {
        (*runs)++;
        attempts++;
        h->n++;
    }
}

static inline void bump_static(long *runs)
{
    STM_ATOMIC {
        (*runs)++;
        attempts++;
        h->n++;
    }
}

void bump_extern(long *runs);
void bump_extern(long *runs)
{
    STM_ATOMIC {
        (*runs)++;
        attempts++;
        h->n++;
    }
}

static void report(const char *what, long runs)
{
    printf("%s: runs %s attempts, %s\n", what, runs == attempts ? "==" : "!=",
           attempts > 200 ? "retried" : "no retry");
}

int main(void)
{
    h = stm_alloc(sizeof *h);
    long runs = 0;
    for (int i = 0; i < 200; i++)
        bump_always(&runs);
    report("always_inline", runs);
    runs = 0;
    attempts = 0;
    for (int i = 0; i < 200; i++)
        bump_static(&runs);
    report("static inline", runs);
    runs = 0;
    attempts = 0;
    for (int i = 0; i < 200; i++)
        bump_extern(&runs);
    report("extern", runs);
    return 0;
}
