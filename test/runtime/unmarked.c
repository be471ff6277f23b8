// Unmarked read-only attempts: an atomic block may start without read markers (RV = 1).  It
// reads the snapshot of its start whatever commits meanwhile and commits read-only, never
// aborted.  Its first write, allocation, free or inevitability aborts it (an upgrade) and it
// runs again with markers.  Which blocks try is a per-site hint with exponential backoff: a
// block that always writes fails few attempts, one that only reads always runs unmarked.
// STM_NO_UNMARKED=1: every block marks its reads.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s --check-prefix=ON
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s --check-prefix=ON
// RUN: env STM_NO_UNMARKED=1 %run %t2 | FileCheck %s --check-prefix=OFF
// ON: snapshot ok
// ON: upgrades ok
// ON: reader blocks: unmarked 100 upgrades 0
// ON: writer blocks: unmarked 5 upgrades 5 total 600
// ON: writer blocks, 2000 more: upgrades 5
// OFF: reader blocks: unmarked 0 upgrades 0
// OFF: writer blocks: unmarked 0 upgrades 0 total 600
// OFF: writer blocks, 2000 more: upgrades 0
// ON: DONE
// OFF: DONE
#include "test.h"

typedef struct { int64_t v, pad; } cell_t;
static cell_t STM_HEAP *x, *y;

static void write_y(void *arg) { WR(y->v, (int64_t)(intptr_t)arg); }
static void do_alloc(void *arg) { (void)arg; (void)stm_alloc(16); }
static void do_free(void *arg) { stm_free((void STM_HEAP *)(uintptr_t)arg); }

static __attribute__((noinline)) int64_t reader_block(void)
{
    int64_t s = 0;
    STM_ATOMIC {
        s = RD(x->v) + RD(y->v);
    }
    return s;
}

static __attribute__((noinline)) void writer_block(int64_t d)
{
    STM_ATOMIC {
        int64_t v = RD(x->v);
        WR(x->v, v + d);
    }
}

int main(void)
{
    const char *env = getenv("STM_NO_UNMARKED");
    int on = !(env && env[0] == '1');
    SWITCH(1);
    BEGIN();
    x = stm_alloc(sizeof *x);
    y = stm_alloc(sizeof *y);
    cell_t STM_HEAP *z = stm_alloc(sizeof *z);
    WR(x->v, 1);
    WR(y->v, 2);
    CHECK(COMMIT());

    if (on) {
        /* The snapshot of its start, whatever commits meanwhile; never aborted. */
        uint64_t aborts0 = stats().aborts;
        _stm_test_begin_unmarked();
        CHECK_EQ(RD(x->v), 1);
        SWITCH(2);
        BEGIN();
        WR(x->v, 10);
        WR(y->v, 20);
        CHECK(COMMIT());
        SWITCH(1);
        CHECK_EQ(RD(y->v), 2);           /* consistent with x == 1 */
        CHECK(_stm_test_validate());     /* nothing to validate */
        CHECK(COMMIT());
        CHECK_EQ(stats().aborts, aborts0);
        BEGIN();                         /* the next transaction sees the commit */
        CHECK_EQ(RD(x->v) + RD(y->v), 30);
        CHECK(COMMIT());
        printf("snapshot ok\n");

        /* A write, an allocation, a free, inevitability: each aborts the attempt. */
        uint64_t up0 = stats().unmarked_upgrades;
        _stm_test_begin_unmarked();
        CHECK_EQ(RD(x->v), 10);
        CHECK(!_stm_test_try(write_y, (void *)(intptr_t)5));
        CHECK(!_stm_test_running());
        CHECK_EQ(_stm_test_committed_u64(OFF(&y->v)), 20);
        _stm_test_begin_unmarked();
        CHECK(!_stm_test_try(do_alloc, NULL));
        _stm_test_begin_unmarked();
        CHECK(!_stm_test_try(do_free, (void *)(uintptr_t)OFF(z)));
        CHECK_EQ(_stm_test_objstate(OFF(z)), 1);
        _stm_test_begin_unmarked();
        CHECK(!_stm_test_become_inevitable());
        CHECK_EQ(stats().unmarked_upgrades - up0, 4);
        BEGIN();                         /* with markers the write goes through */
        CHECK(_stm_test_try(write_y, (void *)(intptr_t)5));
        CHECK(COMMIT());
        CHECK_EQ(_stm_test_committed_u64(OFF(&y->v)), 5);
        printf("upgrades ok\n");
    } else {
        BEGIN();
        WR(x->v, 10);
        WR(y->v, 5);
        CHECK(COMMIT());
    }

    /* Hints, through STM_ATOMIC: a block that only reads runs unmarked every time... */
    struct stm_stats a = stats();
    for (int i = 0; i < 100; i++)
        CHECK_EQ(reader_block(), 15);
    struct stm_stats b = stats();
    printf("reader blocks: unmarked %llu upgrades %llu\n",
           (unsigned long long)(b.unmarked - a.unmarked),
           (unsigned long long)(b.unmarked_upgrades - a.unmarked_upgrades));
    /* ... one that always writes fails its attempts at runs 1, 6, 15, 32, 65 of 100 (the
     * backoff doubles: 4, 8, 16, 32 marked runs in between). */
    for (int i = 0; i < 100; i++)
        writer_block(5);
    struct stm_stats c = stats();
    SWITCH(1);
    BEGIN();
    int64_t total = RD(x->v) + RD(y->v) + 85; /* 10 + 5 + 500 + 85 */
    CHECK(COMMIT());
    printf("writer blocks: unmarked %llu upgrades %llu total %lld\n",
           (unsigned long long)(c.unmarked - b.unmarked),
           (unsigned long long)(c.unmarked_upgrades - b.unmarked_upgrades), (long long)total);
    /* The backoff stops doubling at 1024: attempts at runs 130, 259, 516, 1029 and 2054 of
     * 101..2100 (at most 128 would make it 16, one in 129 runs). */
    for (int i = 0; i < 2000; i++)
        writer_block(0);
    struct stm_stats d = stats();
    printf("writer blocks, 2000 more: upgrades %llu\n",
           (unsigned long long)(d.unmarked_upgrades - c.unmarked_upgrades));
    printf("DONE\n");
    return 0;
}
