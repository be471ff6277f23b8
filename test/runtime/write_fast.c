// The write barrier's slow path records an atomic transaction's first store to one granule by
// a short path (counter writes_fast), and an implicit transaction's too, also the store that
// starts it (STM_NO_IMPLICIT_FAST=1: the general path there); stores spanning two
// granules and STM_NO_WRITE_FAST=1 take the general path.  Both ways the granules are in the
// write set: an abort restores them and a commit publishes them.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: env STM_NO_WRITE_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,GENERAL
// RUN: env STM_NO_IMPLICIT_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,NOIMPL
// FAST: one granule: writes_fast 1
// GENERAL: one granule: writes_fast 0
// NOIMPL: one granule: writes_fast 1
// CHECK: abort restores x = 5
// FAST: two granules: writes_fast 0; implicit transaction: writes_fast 1
// GENERAL: two granules: writes_fast 0; implicit transaction: writes_fast 0
// NOIMPL: two granules: writes_fast 0; implicit transaction: writes_fast 0
// CHECK: commit publishes x = 7, y = 8
#include "test.h"

typedef struct { int64_t x, pad; int64_t y, z; } obj_t;   /* x and y in different granules */

int main(void)
{
    obj_t STM_HEAP *o = committed_object(sizeof *o, 5);

    BEGIN();
    uint64_t fast0 = stats().writes_fast;
    WR(o->x, 6);
    WR(o->x, 66);                      /* the same granule again: no slow path at all */
    printf("one granule: writes_fast %llu\n",
           (unsigned long long)(stats().writes_fast - fast0));
    _stm_test_abort();
    BEGIN();
    CHECK_EQ(RD(o->x), 5);
    CHECK(COMMIT());
    printf("abort restores x = %lld\n", (long long)_stm_test_committed_u64(OFF(&o->x)));

    BEGIN();
    fast0 = stats().writes_fast;
    char STM_HEAP *b = (char STM_HEAP *)o;
    stm_write(b + 12, 8);              /* bytes 12..19: two granules */
    CHECK(COMMIT());
    uint64_t fast1 = stats().writes_fast;
    WR(o->z, 1);                       /* outside a transaction: starts an implicit one */
    printf("two granules: writes_fast %llu; implicit transaction: writes_fast %llu\n",
           (unsigned long long)(fast1 - fast0), (unsigned long long)(stats().writes_fast - fast1));

    BEGIN();
    WR(o->x, 7);
    WR(o->y, 8);
    CHECK(COMMIT());
    printf("commit publishes x = %lld, y = %lld\n",
           (long long)_stm_test_committed_u64(OFF(&o->x)),
           (long long)_stm_test_committed_u64(OFF(&o->y)));
    return 0;
}
