// Per-commit loops over segments (privatisation, deferred frees, log trimming) stop at the
// highest segment ever held; a segment held for the first time later starts from the log's
// tail (the entry it pointed at before may be freed by then).  Here segment 3 is first used
// after hundreds of commits and trims in segment 1, and must read the latest values and commit;
// under valgrind a stale log position would be a read of freed memory.
// REQUIRES: stmc-runtime, valgrind
// RUN: %clang -O0 -gdwarf-4 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=3 STM_HEAP_MB=64 valgrind -q --error-exitcode=9 %t 2>&1 | FileCheck %s
// RUN: env STM_SEGMENTS=3 STM_HEAP_MB=64 %run %t | FileCheck %s
// CHECK: late claim ok
// CHECK-NOT: ==
#include "test.h"

typedef struct { int64_t a, b; } obj_t;

int main(void)
{
    SWITCH(1);
    BEGIN();
    obj_t STM_HEAP *o = stm_alloc(sizeof *o);
    CHECK(COMMIT());
    for (int i = 1; i <= 500; i++) {     /* the log is trimmed many times over */
        BEGIN();
        WR(o->a, i);
        CHECK(COMMIT());
    }
    SWITCH(3);                           /* held for the first time */
    BEGIN();
    CHECK_EQ(RD(o->a), 500);
    WR(o->b, 7);
    CHECK(COMMIT());
    SWITCH(1);
    BEGIN();
    CHECK_EQ(RD(o->a) + RD(o->b), 507);
    WR(o->a, 1);
    CHECK(COMMIT());
    SWITCH(3);
    BEGIN();
    CHECK_EQ(RD(o->a), 1);
    CHECK(COMMIT());
    printf("late claim ok\n");
    return 0;
}
