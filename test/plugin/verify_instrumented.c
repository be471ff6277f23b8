// The plugin runs LLVM's verifier on each function it instrumented (-stmc-verify): clang runs
// none on the optimiser's IR, so IR that the pass broke went on silently at -O1/-O2 and
// crashed a later pass at -O3 (a review: a barrier's reused RV that no longer dominated it).
// Such a function is an error that names it.  -stmc-test-break-ir leaves an instruction that
// uses itself in each function, to show the net works; without it the file compiles.
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CLEAN --allow-empty
// RUN: not %stmcc -O2 -c %s -o /dev/null -mllvm -stmc-test-break-ir 2>&1 | FileCheck %s
// RUN: not %stmcc -O0 -c %s -o /dev/null -mllvm -stmc-test-break-ir 2>&1 | FileCheck %s
// CLEAN-NOT: error
// CHECK: error: {{.*}}verify_instrumented.c: stmc: internal error: the instrumented code of function 'sum' does not verify (Only PHI nodes may reference their own value!) (hint: please report it; -mllvm -stmc-verify=0 goes on, as a compile with a verifier off would)
#include <stmc.h>

long sum(long STM_HEAP *a, long n)
{
    long s = 0;
    STM_ATOMIC {
        for (long i = 0; i < n; i++)
            s += a[i];
    }
    return s;
}
