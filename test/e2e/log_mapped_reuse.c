// Commit-log entries of 256 KiB or more are mapped (e2e/log_large_entry.c), and a dead one goes
// to its segment's cache (up to 4 MiB) for the next large commit: with an mmap and a munmap a
// commit, whose fresh pages fault in zeroed, commits that wrote 200 KB-1 MB in place ran
// 2.2-2.9x slower (a review: 200 KB x 2,000 commits, 1 thread, 99.8 -> 224.3 ms; with the
// cache 0.10-0.11 s as before).  An entry of more than 8192 granules (these: 12,800) is
// reused by its segment's next commit of at least half its size before it reaches the cache
// (runtime/log_big_entries.c); with STM_NO_LOG_BIG=1 it goes through the cache.  Three states:
// by default the direct reuse, with STM_NO_LOG_BIG=1 the cache, with STM_NO_LOG_RECYCLE=1
// neither (every entry unmapped when dead); the data is right in all.  A second thread holds a
// segment (its snapshot between transactions), so that every commit is logged.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,BIG
// RUN: env STM_NO_LOG_BIG=1 %run %t | FileCheck %s --check-prefixes=CHECK,ON
// RUN: env STM_NO_LOG_RECYCLE=1 %run %t | FileCheck %s --check-prefixes=CHECK,OFF
// CHECK: sum ok
// BIG: reused from the cache: no, reused directly: yes
// ON: reused from the cache: yes, reused directly: no
// OFF: reused from the cache: no, reused directly: no
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

#define WORDS (200 * 1024 / 8)
static long STM_HEAP *buf;

static void *other(void *arg)
{
    (void)arg;
    long x = 0;
    STM_ATOMIC { x = buf[0]; } /* holds a segment from now on */
    return (void *)x;
}

int main(void)
{
    buf = stm_alloc(WORDS * sizeof *buf);
    pthread_t t;
    pthread_create(&t, NULL, other, NULL);
    pthread_join(t, NULL);
    for (long r = 1; r <= 100; r++)
        STM_ATOMIC {
            for (long i = 0; i < WORDS; i++)
                buf[i] = r;
        }
    long bad = 0;
    STM_ATOMIC {
        bad = 0;
        for (long i = 0; i < WORDS; i++)
            bad += buf[i] != 100;
    }
    struct stm_stats st;
    stm_stats_get(&st);
    printf("sum %s\n", bad ? "wrong" : "ok");
    printf("reused from the cache: %s, reused directly: %s\n",
           st.log_mapped_reused > 0 ? "yes" : "no", st.log_big_reused > 0 ? "yes" : "no");
    return 0;
}
