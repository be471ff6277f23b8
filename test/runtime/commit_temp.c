// A transaction whose writes all went to objects it allocated and freed again (temporaries,
// freed in another order than allocated, so the write set and allocation list keep their dead
// entries) commits as a read-only one: no commit lock, no log entry (counter commits_temp).
// STM_NO_TEMP_COMMIT=1 commits it as any writing transaction (one log entry, nothing
// published).  Both ways: the temporaries' memory is free after the commit and handed out
// again zeroed; so 600 times with stm_realloc (the segment's version wraps between them); a
// transaction that also keeps one of its allocations, writes an older object, or frees one
// takes the general commit (its entry appended, its writes published); and a
// temporaries-only transaction that read an object another segment then committed commits
// without a conflict (it serializes at its snapshot, as a read-only one does).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,TEMP
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,TEMP
// RUN: env STM_NO_TEMP_COMMIT=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,GENERAL
// TEMP: temporaries: 1 temp commits, 0 log entries
// GENERAL: temporaries: 0 temp commits, 1 log entries
// CHECK-NEXT: temporaries: memory free, handed out again zeroed
// TEMP-NEXT: 600 with stm_realloc: 600 temp commits, 0 log entries
// GENERAL-NEXT: 600 with stm_realloc: 0 temp commits, 600 log entries
// CHECK-NEXT: then a write: published
// CHECK-NEXT: one kept: 0 temp commits, 1 log entries, published
// CHECK-NEXT: older object written: 0 temp commits, 1 log entries, published
// CHECK-NEXT: older object freed: 0 temp commits, 1 log entries, freed
// TEMP-NEXT: stale read: committed, 1 temp commits, 0 aborts
// GENERAL-NEXT: stale read: aborted, 0 temp commits, 1 aborts
#include "test.h"

/* Allocates and writes a 32-byte, a 5,000-byte (whole pages) and a 48-byte object, then frees
 * them, the first allocation first (no pop of the latest); keep: the last is kept. */
static int64_t STM_HEAP *temporaries(bool keep, int64_t STM_HEAP *out[3])
{
    int64_t STM_HEAP *a = stm_alloc(32);
    int64_t STM_HEAP *b = stm_alloc(5000);
    int64_t STM_HEAP *c = stm_alloc(48);
    WR(a[1], 1);
    WR(b[600], 2);
    WR(c[2], 3);
    out[0] = a;
    out[1] = b;
    out[2] = c;
    stm_free(a);
    stm_free(b);
    if (!keep)
        stm_free(c);
    return c;
}

static void report(const char *what, struct stm_stats s0, uint64_t seq0, const char *tail)
{
    struct stm_stats s1 = stats();
    printf("%s: %llu temp commits, %llu log entries%s\n", what,
           (unsigned long long)(s1.commits_temp - s0.commits_temp),
           (unsigned long long)(_stm_test_log_seq() - seq0), tail);
}

int main(void)
{
    int64_t STM_HEAP *x = committed_object(32, 5);
    int64_t STM_HEAP *y = committed_object(32, 6);
    SWITCH(2); /* a second segment: commits are logged */
    BEGIN();
    CHECK(COMMIT());
    SWITCH(1);

    int64_t STM_HEAP *t[3];
    struct stm_stats s0 = stats();
    uint64_t seq0 = _stm_test_log_seq();
    BEGIN();
    temporaries(false, t);
    CHECK_EQ(RD(x[0]), 5);
    CHECK(COMMIT());
    report("temporaries", s0, seq0, "");
    for (int i = 0; i < 3; i++)
        CHECK_EQ(_stm_test_objstate(OFF(t[i])), 0);
    BEGIN();
    int64_t STM_HEAP *again = stm_alloc(5000);
    CHECK(again == t[1]); /* the pages went back to the page allocator */
    CHECK_EQ(RD(again[600]), 0);
    stm_free(again);
    CHECK(COMMIT());
    printf("temporaries: memory free, handed out again zeroed\n");

    /* temporaries grown by stm_realloc (a new object, the old one freed), 600 times: the
     * segment's version wraps (every ~253 transactions) between them */
    s0 = stats();
    seq0 = _stm_test_log_seq();
    for (int i = 0; i < 600; i++) {
        BEGIN();
        int64_t STM_HEAP *r = stm_alloc(24);
        WR(r[0], i);
        r = stm_realloc(r, 3000);
        CHECK_EQ(RD(r[0]), i);
        WR(r[300], i);
        temporaries(false, t);
        stm_free(r);
        CHECK(COMMIT());
        CHECK_EQ(_stm_test_wset_length(), 0);
    }
    report("600 with stm_realloc", s0, seq0, "");
    CHECK(stats().wraps - s0.wraps >= 2);
    BEGIN();
    WR(x[0], 7);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(x)), 7);
    printf("then a write: published\n");

    s0 = stats();
    seq0 = _stm_test_log_seq();
    BEGIN();
    int64_t STM_HEAP *kept = temporaries(true, t);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&kept[2])), 3);
    report("one kept", s0, seq0, ", published");

    s0 = stats();
    seq0 = _stm_test_log_seq();
    BEGIN();
    temporaries(false, t);
    WR(x[0], 50);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(x)), 50);
    report("older object written", s0, seq0, ", published");

    s0 = stats();
    seq0 = _stm_test_log_seq();
    BEGIN();
    temporaries(false, t);
    stm_free(kept);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_objstate(OFF(kept)), 2); /* freed, its reuse deferred */
    report("older object freed", s0, seq0, ", freed");

    /* segment 1 reads y and computes with temporaries; segment 2 commits y meanwhile */
    s0 = stats();
    BEGIN();
    int64_t v = RD(y[0]);
    temporaries(false, t);
    SWITCH(2);
    BEGIN();
    WR(y[0], 60);
    CHECK(COMMIT());
    SWITCH(1);
    bool ok = COMMIT();
    struct stm_stats s1 = stats();
    CHECK_EQ(v, 6);
    printf("stale read: %s, %llu temp commits, %llu aborts\n", ok ? "committed" : "aborted",
           (unsigned long long)(s1.commits_temp - s0.commits_temp),
           (unsigned long long)(s1.aborts - s0.aborts));
    return 0;
}
