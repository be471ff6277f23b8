// A commit whose log entry holds more than 8192 granules trims the log at once (counter
// log_big_trims), so that the entry before it is dead at the segment's next commit, which
// reuses it when it needs at least half its room (log_big_reused): a thread that rewrites a
// 4 MiB array in a transaction, again and again, keeps two such entries (6 MiB each), not the
// last 32 (a review's 16 MiB version peaked at 565 MB against 18 MB for the baseline).
// STM_NO_LOG_BIG=1: the entries wait for the lazy trim (every 32 entries), and memory grows by
// an entry a commit until then (here the peak RSS is ~68 MB above the start against ~8 MB;
// the test asks for less than 40).  Both ways, a second segment that keeps a private page of the
// array imports every commit and reads the values of the last one (an entry reused before it
// was imported would show old values), and the array holds the last values at the end.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,ON
// RUN: env STM_NO_LOG_BIG=1 %run %t | FileCheck %s --check-prefixes=CHECK,OFF
// CHECK: values right: yes
// ON: big trims 40, reused 39, growth small: yes
// OFF: big trims 0, reused 0, growth small: no
// CHECK: DONE
#include "test.h"

#include <string.h>

#define NG (256 * 1024) /* granules: 4 MiB */
#define ROUNDS 40

typedef struct { int64_t v, w; } gran_t;

static long rss_mb(void)
{
    char line[256];
    long kb = 0;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb / 1024;
}

int main(void)
{
    SWITCH(1);
    BEGIN();
    gran_t STM_HEAP *a = stm_alloc(NG * sizeof(gran_t));
    CHECK(COMMIT());
    SWITCH(2); /* a private page of the array here: this segment must import every commit */
    BEGIN();
    WR(a[1].w, -1);
    CHECK(COMMIT());
    struct stm_stats s0 = stats();
    long rss_early = rss_mb(), peak = 0, bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        SWITCH(1);
        BEGIN();
        for (int64_t i = 0; i < NG; i++)
            WR(a[i].v, i + r);
        CHECK(COMMIT());
        SWITCH(2);
        BEGIN();
        for (int64_t i = r; i < NG; i += 4099)
            if (RD(a[i].v) != i + r)
                bad++;
        WR(a[1].w, r); /* (keeps the page private) */
        CHECK(COMMIT());
        long rss = rss_mb();
        if (rss > peak)
            peak = rss;
    }
    long growth = peak - rss_early;
    SWITCH(1);
    BEGIN();
    for (int64_t i = 0; i < NG; i += 7)
        if (RD(a[i].v) != i + ROUNDS - 1)
            bad++;
    CHECK(COMMIT());
    struct stm_stats s1 = stats();
    printf("values right: %s\n", bad ? "no" : "yes");
    printf("big trims %llu, reused %llu, growth small: %s\n",
           (unsigned long long)(s1.log_big_trims - s0.log_big_trims),
           (unsigned long long)(s1.log_big_reused - s0.log_big_reused),
           growth < 40 ? "yes" : "no");
    fprintf(stderr, "(the peak RSS was %ld MB above the start's)\n", growth);
    printf("DONE\n");
    return 0;
}
