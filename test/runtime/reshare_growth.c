// A segment whose transactions keep writing more pages than STM_RESHARE_PAGES (here 16): each
// reshare drops its private pages, which it then copies again.  A segment that fills its
// threshold again within 4 transactions a page gets the threshold doubled (counter
// reshare_growths), so here it stops resharing once the threshold covers the 64 pages it
// writes; STM_NO_RESHARE_GROWTH=1 keeps the threshold, and the segment reshares every 17
// transactions.  Either way the values stay right.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_RESHARE_PAGES=16 %run %t | FileCheck %s --check-prefixes=CHECK,GROW
// RUN: env STM_RESHARE_PAGES=16 STM_NO_RESHARE_GROWTH=1 %run %t | FileCheck %s --check-prefixes=CHECK,FIXED
// GROW: reshares at most 4: yes, threshold doubled at least twice: yes
// FIXED: reshares at most 4: no, threshold doubled at least twice: no
// FIXED: reshares at least 30: yes
// CHECK: values ok
#include "test.h"

#define PAGES 64
#define ROUNDS 640

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *a = stm_alloc(PAGES * 4096);
    CHECK(COMMIT());
    struct stm_stats s0 = stats();
    for (int i = 0; i < ROUNDS; i++) {
        BEGIN();
        WR(a[(i % PAGES) * 512], i + 1);
        CHECK(COMMIT());
    }
    struct stm_stats s1 = stats();
    uint64_t r = s1.reshares - s0.reshares, g = s1.reshare_growths - s0.reshare_growths;
    printf("reshares at most 4: %s, threshold doubled at least twice: %s\n", r <= 4 ? "yes" : "no",
           g >= 2 ? "yes" : "no");
    printf("reshares at least 30: %s (%llu, %llu doublings)\n", r >= 30 ? "yes" : "no",
           (unsigned long long)r, (unsigned long long)g);
    BEGIN();
    for (int p = 0; p < PAGES; p++)
        CHECK_EQ(RD(a[p * 512]), ROUNDS - PAGES + p + 1);
    CHECK(COMMIT());
    printf("values ok\n");
    return 0;
}
