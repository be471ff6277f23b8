// Descending commit-log runs: a transaction that writes an array from its end enters the
// granules in the write set in descending order; log_prepare makes them one run of the entry
// (the heap range from the lowest granule, values copied in heap order), counted in
// log_desc_runs; with STM_NO_DESC_RUNS=1 each granule is a run of its own.  The write set
// here: granules 599 down to 300, then 100 up to 299 (a descending run, then an ascending
// one that meets it in the heap), then 700 alone, then 650, 649 (a short descending run).
// Segment 0 and an importer get the right values either way, a read inside the descending
// run conflicts, and reads next to its ends do not.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,DESC
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,DESC
// RUN: env STM_NO_DESC_RUNS=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,ASC
// RUN: env STM_NO_RUNS=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,SINGLE
// DESC: runs in the entry: 4, descending 2
// ASC: runs in the entry: 304, descending 0
// SINGLE: runs in the entry: 503, descending 0
// CHECK: segment 0 ok
// CHECK: read inside the descending run: conflict
// CHECK: reads next to the descending run: no conflict
// CHECK: importer ok
#include "test.h"

#define GRANULES (3 * 256) /* 3 pages of 16-byte granules */

typedef struct { int64_t a, b; } gran_t;

static int written(int g)
{
    return (g >= 100 && g < 600) || g == 700 || g == 650 || g == 649;
}

static void write_all(gran_t STM_HEAP *arr, int64_t round)
{
    for (int g = 599; g >= 300; g--) {
        WR(arr[g].a, round * 1000 + g);
        WR(arr[g].b, -g);
    }
    for (int g = 100; g < 300; g++) {
        WR(arr[g].b, -g); /* b first: the order within a granule does not matter */
        WR(arr[g].a, round * 1000 + g);
    }
    WR(arr[700].a, round * 1000 + 700);
    WR(arr[700].b, -700);
    for (int g = 650; g >= 649; g--) {
        WR(arr[g].a, round * 1000 + g);
        WR(arr[g].b, -g);
    }
}

static int64_t expect_a(int g, int64_t round)
{
    return written(g) ? round * 1000 + g : g == 0 ? 7 : g == GRANULES - 1 ? 9 : 0;
}

static int64_t expect_b(int g, int extra)
{
    return written(g) ? -g : g == extra ? 1 : 0;
}

int main(void)
{
    SWITCH(1);
    BEGIN();
    gran_t STM_HEAP *arr = stm_alloc(GRANULES * sizeof(gran_t));
    CHECK(COMMIT());
    CHECK((OFF(arr) & 4095) == 0);

    /* segment 2 makes the array's first and last pages private */
    SWITCH(2);
    BEGIN();
    WR(arr[0].a, 7);
    WR(arr[GRANULES - 1].a, 9);
    CHECK(COMMIT());

    /* round 1: segment 2 reads granule 450, inside the descending run */
    BEGIN();
    CHECK_EQ(RD(arr[450].a), 0);
    WR(arr[0].b, 5); /* a write: the commit validates (and this one is rolled back) */
    SWITCH(1);
    BEGIN();
    write_all(arr, 1);
    struct stm_stats s0 = stats();
    CHECK(COMMIT());
    struct stm_stats s1 = stats();
    printf("runs in the entry: %llu, descending %llu\n",
           (unsigned long long)(s1.log_runs - s0.log_runs),
           (unsigned long long)(s1.log_desc_runs - s0.log_desc_runs));
    for (int g = 0; g < GRANULES; g++) {
        CHECK_EQ(_stm_test_committed_u64(OFF(&arr[g].a)), expect_a(g, 1));
        CHECK_EQ(_stm_test_committed_u64(OFF(&arr[g].b)), expect_b(g, -1));
    }
    printf("segment 0 ok\n");
    SWITCH(2);
    CHECK_EQ(COMMIT(), 0);
    printf("read inside the descending run: conflict\n");

    /* round 2: reads just past both ends of the run 300..599 and of 649..650 */
    BEGIN();
    CHECK_EQ(RD(arr[600].a), 0);
    CHECK_EQ(RD(arr[648].a), 0);
    CHECK_EQ(RD(arr[651].a), 0);
    SWITCH(1);
    BEGIN();
    write_all(arr, 2);
    CHECK(COMMIT());
    SWITCH(2);
    WR(arr[600].b, 1);
    CHECK(COMMIT());
    printf("reads next to the descending run: no conflict\n");
    BEGIN();
    for (int g = 0; g < GRANULES; g++) {
        CHECK_EQ(RD(arr[g].a), expect_a(g, 2));
        CHECK_EQ(RD(arr[g].b), expect_b(g, 600));
    }
    CHECK(COMMIT());
    printf("importer ok\n");
    return 0;
}
