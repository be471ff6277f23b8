// Commit-log runs: granules that follow each other in a commit's write set and in the heap (a
// new object, a loop over an array) are one run of its log entry, copied with one memcpy into
// segment 0 and, page by page where the page is private, into each importing segment; with
// STM_NO_RUNS=1 every granule is a run of its own.  A new object's granules enter the write
// set a page at a time (with STM_NO_RUNS=1 one by one).  Both ways: a commit of granules
// 100..599 of a 3-page array (a run over all three pages) gives segment 0 and an importer the
// new values and imports the 500 granules there (the importer wrote the first and last pages;
// the committer made the middle one private in it too, as it holds its snapshot), and a read of
// granule 350 (inside the run) conflicts while a read of granule 99 or 600 (next to it) does
// not.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,RUNS
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,RUNS
// RUN: env STM_NO_RUNS=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,SINGLE
// RUNS: granules in bulk: 768
// SINGLE: granules in bulk: 0
// RUNS: runs in the entry: 1
// SINGLE: runs in the entry: 500
// CHECK: segment 0 ok
// CHECK: read inside the run: conflict
// CHECK: reads next to the run: no conflict, imported 500
// CHECK: importer ok
#include "test.h"

#define GRANULES (3 * 256)          /* 3 pages of 16-byte granules */
#define FIRST 100
#define END 600

typedef struct { int64_t a, b; } gran_t;

static void write_run(gran_t STM_HEAP *arr, int64_t round)
{
    for (int g = FIRST; g < END; g++) {
        WR(arr[g].a, round * 1000 + g);
        WR(arr[g].b, -g);
    }
}

int main(void)
{
    SWITCH(1);
    BEGIN();
    struct stm_stats s0 = stats();
    gran_t STM_HEAP *arr = stm_alloc(GRANULES * sizeof(gran_t));
    struct stm_stats s1 = stats();
    CHECK(COMMIT());
    printf("granules in bulk: %llu\n", (unsigned long long)(s1.wset_bulk - s0.wset_bulk));
    CHECK((OFF(arr) & 4095) == 0); /* whole pages: the page split below depends on it */

    /* segment 2 makes the array's first and last pages private */
    SWITCH(2);
    BEGIN();
    WR(arr[0].a, 7);
    WR(arr[GRANULES - 1].a, 9);
    CHECK(COMMIT());

    /* round 1: segment 2 reads granule 350, inside the run segment 1 then commits */
    BEGIN();
    CHECK_EQ(RD(arr[350].a), 0);
    WR(arr[0].b, 5); /* a write: the commit validates (and this one is rolled back) */
    SWITCH(1);
    BEGIN();
    write_run(arr, 1);
    s0 = stats();
    CHECK(COMMIT());
    s1 = stats();
    printf("runs in the entry: %llu\n", (unsigned long long)(s1.log_runs - s0.log_runs));
    for (int g = 0; g < GRANULES; g++) {
        int64_t a = g >= FIRST && g < END ? 1000 + g : g == 0 ? 7 : g == GRANULES - 1 ? 9 : 0;
        CHECK_EQ(_stm_test_committed_u64(OFF(&arr[g].a)), a);
        CHECK_EQ(_stm_test_committed_u64(OFF(&arr[g].b)), g >= FIRST && g < END ? -g : 0);
    }
    printf("segment 0 ok\n");
    SWITCH(2);
    CHECK_EQ(COMMIT(), 0);
    printf("read inside the run: conflict\n");

    /* round 2: reads of the granules just before and just after the run */
    BEGIN();
    CHECK_EQ(RD(arr[FIRST - 1].a), 0);
    CHECK_EQ(RD(arr[END].a), 0);
    SWITCH(1);
    BEGIN();
    write_run(arr, 2);
    CHECK(COMMIT());
    SWITCH(2);
    s0 = stats();
    WR(arr[FIRST - 1].b, 1);
    CHECK(COMMIT());
    s1 = stats();
    printf("reads next to the run: no conflict, imported %llu\n",
           (unsigned long long)(s1.imported_granules - s0.imported_granules));
    BEGIN();
    for (int g = 0; g < GRANULES; g++) {
        int64_t a = g >= FIRST && g < END ? 2000 + g : g == 0 ? 7 : g == GRANULES - 1 ? 9 : 0;
        CHECK_EQ(RD(arr[g].a), a);
        CHECK_EQ(RD(arr[g].b), g >= FIRST && g < END ? -g : g == FIRST - 1 ? 1 : 0);
    }
    CHECK(COMMIT());
    printf("importer ok\n");
    return 0;
}
