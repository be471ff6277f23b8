// With the largest heap (STM_HEAP_MB=7168) the marker regions still end below the heap: the
// first heap page is the memfd's in every segment, so a commit in segment 1 is seen by a new
// transaction in segment 2.  With the write markers at 512 MiB (before ABI 4) their mapping
// ended 4 KiB into the heap and replaced its first page in every segment by private
// anonymous memory: segment 2 saw 0.  (runtime/segment.h asserts the layout at build time.)
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_HEAP_MB=7168 %run %t | FileCheck %s
// CHECK: first object at heap offset 0
// CHECK: segment 2 sees 42
#include "test.h"

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *o = stm_alloc(64);
    WR(*o, 42);
    CHECK(COMMIT());
    printf("first object at heap offset %#llx\n", (unsigned long long)(OFF(o) - (1ULL << 30)));
    SWITCH(2);
    BEGIN();
    int64_t v = RD(*o);
    CHECK(COMMIT());
    printf("segment 2 sees %lld\n", (long long)v);
    return 0;
}
