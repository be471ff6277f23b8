// STM_LOAD and STM_STORE evaluate their lvalue once.  They evaluated it twice, once for the
// barrier and once for the access: STM_STORE(a[j++].v, 10) put the barrier on a[0] and the store
// on a[1], whose granule the transaction never recorded, so the commit dropped it (a user's
// program: wrong sums, no warning).  Each element has a granule of its own; the committed
// state is read back.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
// CHECK: j 1, i 2, loaded 10 (from a[1]: 0), committed a[0] 10, a[1] 0
#include "test.h"

typedef struct { int64_t v, pad; } elem_t;

int main(void)
{
    SWITCH(1);
    BEGIN();
    elem_t STM_HEAP *a = stm_alloc(4 * sizeof *a);
    CHECK(COMMIT());

    int i = 0, j = 0;
    int64_t x, y;
    BEGIN();
    STM_STORE(a[j++].v, 10);
    x = STM_LOAD(a[i++].v);
    y = STM_LOAD(a[i++].v);
    CHECK(COMMIT());
    printf("j %d, i %d, loaded %lld (from a[1]: %lld), committed a[0] %lld, a[1] %lld\n", j, i,
           (long long)x, (long long)y, (long long)_stm_test_committed_u64(OFF(&a[0].v)),
           (long long)_stm_test_committed_u64(OFF(&a[1].v)));
    return 0;
}
