// A function with an atomic block is never inlined (the locals a retry must find changed are
// chosen per function, before inlining): also where the call site asks for it, which outranks
// the callee's noinline: clang marks every call in a `flatten` function always_inline, and C23
// has [[clang::always_inline]] on a call statement.  With -fexceptions (the block's setjmp an
// invoke, which LLVM's own returns-twice check does not stop) both inlined `bump` and its
// caller's count of the block's runs lost the retried ones: 484 of 1,000 left (a review's
// find).  Each run of the block counts once in `runs` and once in the abort callback's count
// when it aborts, so runs - aborts == blocks.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 -fexceptions %s -o %t && env STM_INJECT_ABORTS=3 %run %t | FileCheck %s
// RUN: %stmcc -O2 -fexceptions -std=c23 -DCALL_SITE %s -o %t.c23 && env STM_INJECT_ABORTS=3 %run %t.c23 | FileCheck %s
// RUN: %stmcc -O0 -fexceptions %s -o %t0 && env STM_INJECT_ABORTS=3 %run %t0 | FileCheck %s
// Through a function pointer that the optimizer makes a direct call only after the plugin ran
// (the call site then keeps flatten's always_inline): the header's _stm_setjmp is nothrow, so
// under -fexceptions it is a call, which LLVM's inliner sees return twice (484 before).
// RUN: %stmcc -O2 -fexceptions -DVIA_POINTER %s -o %t.p && env STM_INJECT_ABORTS=3 %run %t.p | FileCheck %s
// CHECK: v=1000 runs-aborts=1000
#include <stmc.h>
#include <stdio.h>

typedef STM_HEAP struct c { long v; } c_t;
static long aborts;

static void on_ab(void *a)
{
    (void)a;
    aborts++;
}

static void bump(long *runs, c_t *c)
{
    STM_ATOMIC {
        stm_on_abort(on_ab, NULL);
        (*runs)++;
        c->v++;
    }
}

#ifdef VIA_POINTER
static void (*bump_p)(long *, c_t *) = bump;
__attribute__((flatten)) static long work(c_t *c)
{
    long runs = 0;
    for (int i = 0; i < 1000; i++)
        bump_p(&runs, c);
    return runs;
}
#elif defined(CALL_SITE)
static long work(c_t *c)
{
    long runs = 0;
    for (int i = 0; i < 1000; i++) {
        [[clang::always_inline]] bump(&runs, c);
    }
    return runs;
}
#else
__attribute__((flatten)) static long work(c_t *c)
{
    long runs = 0;
    for (int i = 0; i < 1000; i++)
        bump(&runs, c);
    return runs;
}
#endif

int main(void)
{
    c_t *c = stm_alloc(sizeof *c);
    long runs = work(c);
    printf("v=%ld runs-aborts=%ld\n", c->v, runs - aborts);
    return 0;
}
