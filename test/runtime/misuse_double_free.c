// Misuse: freeing an object twice (in two transactions) is reported, then abort().
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: double free: stm_free(0x{{[0-9a-f]+}})
// CHECK-NOT: UNREACHED
#include "test.h"

int main(void)
{
#ifdef WAITING
    SWITCH(2);
    BEGIN();
    int64_t STM_HEAP *p = stm_alloc(32);
    CHECK(COMMIT());
    SWITCH(3);
    BEGIN();                         /* keeps p from being reused */
    SWITCH(2);
    BEGIN();
    stm_free(p);
    CHECK(COMMIT());
    BEGIN();
    stm_free(p);
    printf("UNREACHED\n");
    return 0;
#else
    int64_t STM_HEAP *p = stm_alloc(32);
    STM_ATOMIC { stm_free(p); }
    STM_ATOMIC { stm_free(p); }    /* already reused: "not allocated" */
    printf("UNREACHED\n");
    return 0;
#endif
}
// Variant: the second free comes while a transaction that started before the first one still
// runs in another segment, so the object is still waiting for reuse ("already freed").
// RUN: %clang -O0 -DWAITING -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t.w
// RUN: not --crash %run %t.w 2>&1 | FileCheck %s --check-prefix=WAITING
// WAITING: stmc: double free: stm_free(0x{{[0-9a-f]+}}) of an object already freed
