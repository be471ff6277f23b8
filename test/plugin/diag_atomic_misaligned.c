// An _Atomic heap member aligned below its size (in a packed struct) is an error with
// file:line, at -O0 and -O2, like a wide one (diag_atomic_wide.c): the backend lowers a
// misaligned atomic access to libatomic (__atomic_compare_exchange, __atomic_load) with a plain
// pointer that cannot reach the heap, also at 8 bytes, which are lock-free when aligned.
// Before, the program failed to link (undefined __atomic_*) or, with -latomic, libatomic got
// the heap offset as an address.  The same member aligned compiles.
// RUN: not %stmcc -O0 -w -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %stmcc -O2 -w -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: %stmcc -O2 -w -DALIGNED -c %s -o /dev/null
// CHECK-DAG: {{.*}}diag_atomic_misaligned.c:[[@LINE+19]]:{{[0-9]+}}: error: stmc: misaligned atomic access to the STM heap (8 bytes aligned to 1): the backend calls libatomic with a plain pointer
// CHECK-DAG: {{.*}}diag_atomic_misaligned.c:[[@LINE+19]]:{{[0-9]+}}: error: stmc: misaligned atomic access to the STM heap (4 bytes aligned to 1)
// CHECK: 2 errors generated.
#include <stdatomic.h>
#include <stmc.h>

#ifdef ALIGNED
#define PACKED
#else
#define PACKED __attribute__((packed))
#endif
struct PACKED rec {
    char tag;
    _Atomic long count;
    _Atomic int flags;
};

long use(struct rec STM_HEAP *r)
{
    atomic_fetch_add(&r->count, 1);
    return atomic_load(&r->flags);
}
