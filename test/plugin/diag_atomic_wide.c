// _Atomic heap data that is not lock-free on the target is an error with file:line, at -O0
// and -O2: 16 bytes without cmpxchg16b and anything wider go to libatomic (__atomic_load_16,
// __atomic_store with a size), which gets a plain pointer it cannot reach the heap with; the
// programs faulted at run time ("heap pointer ... dereferenced as a plain pointer").  With
// -mcx16, 16 bytes are lowered inline (through %gs) and compile; 8 bytes always do.  (clang 19
// casts the heap pointer for libatomic with an invalid bitcast, clang 22 with an addrspacecast
// to a plain pointer, which comes with warnings about the cast: an error either way.)
// RUN: not %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %stmcc -O2 -mcx16 -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CX16 --implicit-check-not=error:
// CHECK-DAG: {{.*}}diag_atomic_wide.c:[[@LINE+22]]:{{[0-9]+}}: error: stmc: atomic access of 16 bytes to the STM heap: not lock-free on this target
// CHECK-DAG: {{.*}}diag_atomic_wide.c:[[@LINE+22]]:{{[0-9]+}}: error: stmc: {{.*}}not lock-free
// CHECK: {{(2 warnings and )?}}2 errors generated.
// (an atomic load and a cmpxchg of one `+=` are one diagnostic)
// CX16: {{.*}}diag_atomic_wide.c:[[@LINE+19]]:{{[0-9]+}}: error: stmc: {{.*}}not lock-free
// CX16: {{([0-9] warnings? and )?}}1 error generated.
#include <stmc.h>

struct triple {
    long a, b, c;
};
struct obj {
    _Atomic long word;
    _Atomic __int128 wide;
    _Atomic struct triple big;
};

long use(struct obj STM_HEAP *o)
{
    long n = 0;
    STM_ATOMIC {
        o->word += 1;
        o->wide += 5;
        o->big = (struct triple){1, 2, 3};
        n = o->word;
    }
    return n;
}
