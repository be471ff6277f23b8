// The allocator and single-thread paths under valgrind memcheck: no invalid accesses to the
// runtime's own memory, no uninitialised reads, no leaks of its metadata per transaction.
// (Valgrind does not know that %gs-relative accesses are heap objects: it checks the runtime,
// not the program's use of the STM heap.  It also caps the address space, and large mappings make it slow: 3 segments, 64 MiB.)
// REQUIRES: stmc-runtime, valgrind
// RUN: %clang -O0 -gdwarf-4 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=3 STM_HEAP_MB=64 valgrind -q --error-exitcode=9 %t 2>&1 | FileCheck %s
// CHECK: valgrind ok
// CHECK-NOT: ==
#include "test.h"

typedef struct { int64_t a, b; } obj_t;

int main(void)
{
    obj_t STM_HEAP *keep[64] = {0};
    for (int round = 0; round < 300; round++) {
        int seg = 1 + round % 2;
        SWITCH(seg);
        BEGIN();
        int i = round % 64;
        if (keep[i])
            stm_free(keep[i]);
        keep[i] = stm_alloc(round % 5 == 0 ? 5000 : 16 * (1 + round % 7));
        WR(keep[i]->a, round);
        if (round % 3 == 0) {
            _stm_test_abort();
            keep[i] = NULL;
            continue;
        }
        CHECK(COMMIT());
    }
    printf("valgrind ok\n");
    return 0;
}
