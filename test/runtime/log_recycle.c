// Commit-log entries are recycled by the segment that made them, once every segment has
// imported them; the log is trimmed once per batch of commits, and idle segments without
// private pages (or held by no thread) are moved to the log's tail instead of pinning it,
// once they let their snapshot go.  STM_NO_LOG_RECYCLE=1: malloc/free per entry, trim at
// every commit.  Values must be the same both ways.  Two segments commit in turn, and the
// trims fall to either: each reuses its own entries, and neither allocates entries after the
// first batches.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefix=ON
// RUN: env STM_NO_LOG_RECYCLE=1 %run %t | FileCheck %s --check-prefix=OFF
// ON: recycled > 0, fast-forwarded > 0
// OFF: recycled 0, fast-forwarded 0
// ON: DONE
// OFF: DONE
#include "test.h"

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *a = stm_alloc(64 * 16);
    CHECK(COMMIT());
    SWITCH(3);                       /* reads only: no private page, idle from now on */
    BEGIN();
    CHECK_EQ(RD(a[0]), 0);
    CHECK(COMMIT());
    _stm_test_quiesce();             /* as at an external call: it holds no snapshot */
    for (int r = 0; r < 3000; r++) {
        SWITCH(1 + r % 2);
        BEGIN();
        CHECK_EQ(RD(a[2 * (r % 64)]), r >= 64 ? r - 64 + 1 : 0);
        for (int k = 0; k <= r % 5; k++)   /* entries of different sizes */
            WR(a[2 * ((r + k) % 64) + 1], r);
        WR(a[2 * (r % 64)], r + 1);
        CHECK(COMMIT());
    }
    if (!getenv("STM_NO_LOG_RECYCLE"))   /* idle segments do not pin the log */
        CHECK(_stm_test_log_length() <= 64);
    SWITCH(3);
    BEGIN();
    for (int g = 0; g < 64; g++)
        CHECK_EQ(RD(a[2 * g]), (3000 - 1 - g) / 64 * 64 + g + 1);
    CHECK(COMMIT());
    struct stm_stats s = stats();
    CHECK_EQ(s.lag_resets, 0);
    if (!getenv("STM_NO_LOG_RECYCLE"))   /* entries made: at most two trim batches each */
        CHECK(s.log_entries - s.log_recycled <= 2 * 2 * 32);
    printf("recycled %s, fast-forwarded %s\n", s.log_recycled ? "> 0" : "0",
           s.log_fast_forward ? "> 0" : "0");
    printf("DONE\n");
    return 0;
}
