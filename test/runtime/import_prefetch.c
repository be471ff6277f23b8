// An import asks for the lines of a log entry's first values as soon as it learns the entry's
// address, before the entry's header (which says where the values lie) has come in (counter
// import_prefetches: one per entry walked).  STM_NO_IMPORT_PREFETCH=1 reads the header first.
// Both ways: segment 2, holding a private copy of the object's page, imports three entries of
// segment 1 (one granule; three granules; 100 granules, whose values lie past the lines asked
// for) at its next start and reads every new value; and a commit's pre-validation, which walks
// the log the same way, finds a conflict with an entry linked after the reader's start.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,PF
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,PF
// RUN: env STM_NO_IMPORT_PREFETCH=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,NOPF
// CHECK: start: imported 104 granules
// PF-SAME: prefetched 3 entries
// NOPF-SAME: prefetched 0 entries
// CHECK: values ok
// CHECK: pre-validation: conflict
// PF-SAME: prefetched 1 entries
// NOPF-SAME: prefetched 0 entries
#include "test.h"

#define N 128
typedef struct { int64_t a, b; } gran_t;

int main(void)
{
    gran_t STM_HEAP *g = committed_object(N * sizeof(gran_t), 1);
    CHECK((OFF(g) & 4095) + N * sizeof(gran_t) <= 4096); /* one page */

    /* segment 2 writes the page (a private copy) and keeps its snapshot */
    SWITCH(2);
    BEGIN();
    WR(g[N - 1].b, 2);
    CHECK(COMMIT());

    /* segment 1 commits three entries: 1, 3 and 100 granules */
    SWITCH(1);
    BEGIN();
    WR(g[0].a, 100);
    CHECK(COMMIT());
    BEGIN();
    for (int i = 1; i <= 3; i++)
        WR(g[i].a, 100 + i);
    CHECK(COMMIT());
    BEGIN();
    for (int i = 10; i < 110; i++)
        WR(g[i].b, -i);
    CHECK(COMMIT());

    SWITCH(2);
    struct stm_stats s0 = stats();
    BEGIN(); /* imports the three entries into the private page */
    struct stm_stats s1 = stats();
    printf("start: imported %llu granules, prefetched %llu entries\n",
           (unsigned long long)(s1.imported_granules - s0.imported_granules),
           (unsigned long long)(s1.import_prefetches - s0.import_prefetches));
    CHECK_EQ(RD(g[0].a), 100);
    for (int i = 1; i <= 3; i++)
        CHECK_EQ(RD(g[i].a), 100 + i);
    for (int i = 10; i < 110; i++)
        CHECK_EQ(RD(g[i].b), -i);
    CHECK_EQ(RD(g[N - 1].b), 2);
    CHECK(COMMIT());
    printf("values ok\n");

    /* segment 2 reads g[5].a and writes g[6].a; segment 1 commits g[5].a meanwhile: segment 2's
     * commit finds the conflict while it pre-validates (before the lock) */
    BEGIN();
    int64_t seen = RD(g[5].a);
    WR(g[6].a, seen + 1);
    SWITCH(1);
    BEGIN();
    WR(g[5].a, 55);
    CHECK(COMMIT());
    SWITCH(2);
    struct stm_stats s2 = stats();
    bool ok = COMMIT();
    struct stm_stats s3 = stats();
    printf("pre-validation: %s, prefetched %llu entries\n", ok ? "committed" : "conflict",
           (unsigned long long)(s3.import_prefetches - s2.import_prefetches));
    CHECK(!ok && s3.prevalidations - s2.prevalidations == 1);
    return 0;
}
