// An atomic transaction aborted by a conflict waits a random number of pauses before it runs
// again (counters backoffs, backoff_pauses), drawn from a window of 8 pauses after the first
// abort in a row that doubles with each further one up to 512 (so some of the later waits are
// longer than the first window allows; the draws are a fixed sequence per segment, so this
// single-threaded run is repeatable); STM_NO_ABORT_BACKOFF=1 retries at once.
// Aborts that are not conflicts (an unmarked attempt's upgrade) never wait.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,WAIT
// RUN: env STM_NO_ABORT_BACKOFF=1 %run %t | FileCheck %s --check-prefixes=CHECK,NOWAIT
// WAIT: conflict 1: backoffs 1, pauses within 8
// WAIT: conflict 2: backoffs 1, pauses within 16
// WAIT: conflict 3: backoffs 1, pauses within 32
// WAIT: conflict 4: backoffs 1, pauses within 64
// WAIT: conflict 7: backoffs 1, pauses within 512
// WAIT: conflict 8: backoffs 1, pauses within 512
// WAIT: later waits longer than 64 pauses: yes
// NOWAIT: conflict 1: backoffs 0, pauses 0
// NOWAIT: conflict 8: backoffs 0, pauses 0
// CHECK: upgrade: backoffs 0
// CHECK: DONE
#include "test.h"

typedef struct { int64_t x, pad; } obj_t;

static void write_pad(void *p)
{
    obj_t STM_HEAP *o = (obj_t STM_HEAP *)(uintptr_t)p;
    WR(o->pad, 9);
}

int main(void)
{
    obj_t STM_HEAP *o = committed_object(sizeof *o, 0);
    int wait = getenv("STM_NO_ABORT_BACKOFF") == NULL;
    /* Eight conflicts in a row for segment 2: it reads x, segment 1 commits a write to x,
     * segment 2's commit finds the conflict and aborts. */
    uint64_t longest_late = 0;
    for (int i = 1; i <= 8; i++) {
        SWITCH(2);
        BEGIN();
        (void)RD(o->x);
        WR(o->pad, i);
        SWITCH(1);
        BEGIN();
        WR(o->x, i);
        CHECK(COMMIT());
        SWITCH(2);
        struct stm_stats before = stats();
        CHECK_EQ(COMMIT(), 0);
        struct stm_stats after = stats();
        uint64_t b = after.backoffs - before.backoffs;
        uint64_t p = after.backoff_pauses - before.backoff_pauses;
        CHECK_EQ(after.aborts_commit - before.aborts_commit, 1);
        if (wait) {
            unsigned window = 8u << (i - 1 < 6 ? i - 1 : 6);
            CHECK(p < window);
            if (i >= 5 && p > longest_late)
                longest_late = p;
            printf("conflict %d: backoffs %llu, pauses within %u\n", i, (unsigned long long)b,
                   window);
        } else {
            printf("conflict %d: backoffs %llu, pauses %llu\n", i, (unsigned long long)b,
                   (unsigned long long)p);
        }
    }
    if (wait)
        printf("later waits longer than 64 pauses: %s\n", longest_late >= 64 ? "yes" : "no");
    /* An unmarked attempt that writes aborts to run again with markers: not a conflict. */
    SWITCH(2);
    _stm_test_begin_unmarked();
    struct stm_stats before = stats();
    CHECK(!_stm_test_try(write_pad, (void *)(uintptr_t)OFF(o)));
    struct stm_stats after = stats();
    CHECK_EQ(after.unmarked_upgrades - before.unmarked_upgrades, 1);
    printf("upgrade: backoffs %llu\n", (unsigned long long)(after.backoffs - before.backoffs));
    printf("DONE\n");
    return 0;
}
