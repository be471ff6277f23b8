// Large objects (whole pages) of varied sizes, freed and allocated again at random, reuse the
// freed pages: freed runs are kept in address order and merged with their neighbours.  Before,
// they were never merged and split ever smaller, until no freed run fitted a request: 64
// objects of 1-64 pages (16 MiB live at most) exhausted a 32 MiB heap within these 8,000
// replacements ("stmc: heap exhausted").
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_HEAP_MB=32 %run %t | FileCheck %s
// CHECK: replaced 8000 objects, values ok
#include "test.h"

#define SLOTS 64
#define ROUNDS 8000

int main(void)
{
    int64_t STM_HEAP *slot[SLOTS] = {0};
    int64_t tag[SLOTS] = {0};
    uint64_t x = 88172645463325252ull;
    SWITCH(1);
    for (int i = 0; i < ROUNDS; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int k = (int)(x % SLOTS);
        size_t pages = 1 + (x >> 8) % 64;
        BEGIN();
        if (slot[k]) {
            CHECK_EQ(RD(slot[k][0]), tag[k]);
            stm_free(slot[k]);
        }
        slot[k] = stm_alloc(pages * 4096);
        tag[k] = i + 1;
        WR(slot[k][0], tag[k]);
        WR(slot[k][pages * 512 - 1], tag[k]);
        CHECK(COMMIT());
    }
    BEGIN();
    for (int k = 0; k < SLOTS; k++)
        if (slot[k])
            CHECK_EQ(RD(slot[k][0]), tag[k]);
    CHECK(COMMIT());
    printf("replaced %d objects, values ok\n", ROUNDS);
    return 0;
}
