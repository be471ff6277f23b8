// Reuse of freed memory while readers go idle between transactions (the case where committers
// let an idle segment's snapshot go on its behalf: tx_quiesce_idle_locked).  Writers replace
// the objects of a table of slots (allocate, fill, swing the slot, free the old one: with small
// objects the memory comes back at once once no snapshot pins it).  Readers check a few slots
// per transaction, INSIDE the block (an object whose fields disagree is memory that was freed
// and reused under a snapshot that could still see it), then idle between transactions for a
// random time in a loop that reaches no safe point, so that they are often the segment whose
// snapshot pins the oldest free.  Every violation seen in any attempt counts.  At the end each
// slot holds the last object its last writer put there.  (STM_NO_LAZY_RECLAIM=1: a scan at
// every commit with a free pending, so more snapshots are let go: 30-270 a run against 0-25,
// and the 4-thread run checks that some were; with 3 threads on 2 segments the segments change
// hands at every block's end, which lets their snapshots go anyway: often none is left to let
// go remotely.
// With the running check after the membarrier left out, one run in three saw reused memory.)
// Reader 0's long idles last until the writers committed 100 blocks (at most 200 ms), so that
// the 4-thread run always lets a snapshot go, also on a loaded machine.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t --threads 4 | FileCheck %s
// RUN: env STM_NO_LAZY_RECLAIM=1 %run %t --threads 4 | FileCheck %s --check-prefixes=CHECK,LET
// RUN: env STM_SEGMENTS=2 STM_NO_LAZY_RECLAIM=1 %run %t --threads 3 --ops 20000 | FileCheck %s
// RUN: env STM_NO_STICKY_SNAPSHOT=1 %run %t --threads 3 --ops 20000 | FileCheck %s
// CHECK: violations 0
// LET: snapshots let go: yes
// CHECK: DONE
#include "test.h"

#define SLOTS 64
#define WORDS 8

typedef STM_HEAP struct obj {
    int64_t w[WORDS]; /* w[k] == id * (k + 1) */
} obj_t;

static obj_t *STM_HEAP *slots;
static long violations;
static volatile int writers_done;
static long writer_commits; /* blocks the writers committed (reader 0's long idles count them) */
static int nwriters;

static int bad_obj(obj_t *o)
{
    int64_t id = RD(o->w[0]);
    if (id <= 0)
        return 1;
    for (int k = 1; k < WORDS; k++)
        if (RD(o->w[k]) != id * (k + 1))
            return 1;
    return 0;
}

static void *writer(void *p)
{
    int id = (int)(intptr_t)p;
    uint64_t seed = 0x9E3779B97F4A7C15ULL * (uint64_t)(id + 1);
    for (long i = 1; i <= opt_ops; i++) {
        int s = (int)(rnd(&seed) % SLOTS);
        int64_t v = (int64_t)i * 16 + id + 1; /* unique, positive */
        STM_ATOMIC {
            obj_t *o = RD(slots[s]);
            if (bad_obj(o))
                __atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
            obj_t *n = stm_alloc(sizeof *n);
            for (int k = 0; k < WORDS; k++)
                WR(n->w[k], v * (k + 1));
            WR(slots[s], n);
            stm_free(o);
        }
        __atomic_add_fetch(&writer_commits, 1, __ATOMIC_RELAXED);
    }
    __atomic_add_fetch(&writers_done, 1, __ATOMIC_RELAXED);
    return NULL;
}

static void *reader(void *p)
{
    int id = (int)(intptr_t)p;
    uint64_t seed = 0xD1B54A32D192ED03ULL * (uint64_t)(id + 1);
    long rounds = 0;
    while (__atomic_load_n(&writers_done, __ATOMIC_RELAXED) < nwriters) {
        STM_ATOMIC {
            for (int j = 0; j < 4; j++) {
                obj_t *o = RD(slots[(rnd(&seed) >> 7) % SLOTS]);
                if (bad_obj(o))
                    __atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
            }
        }
        /* idle: no runtime call, no safe point (0 to ~100 us; reader 0 at its first round and
         * every 64th until the writers committed 100 blocks, at most 200 ms: their scans find it
         * pinning.  A fixed spin of some milliseconds every 64 rounds saw no commit at all in a
         * CI run on a loaded machine, where the writers ran few blocks meanwhile, or finished
         * before reader 0's 64th round) */
        if (id == 0 && ++rounds % 64 == 1) {
            long from = __atomic_load_n(&writer_commits, __ATOMIC_RELAXED);
            struct timespec t0, t;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            do {
                for (int spin = 0; spin < 1000; spin++)
                    __builtin_ia32_pause();
                clock_gettime(CLOCK_MONOTONIC, &t);
            } while (__atomic_load_n(&writer_commits, __ATOMIC_RELAXED) - from < 100 &&
                     __atomic_load_n(&writers_done, __ATOMIC_RELAXED) < nwriters &&
                     (t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 200000000L);
        } else {
            for (long spin = (long)(rnd(&seed) % 4000); spin > 0; spin--)
                __builtin_ia32_pause();
        }
    }
    return NULL;
}

static void *run(void *p)
{
    int i = (int)(intptr_t)p;
    return i < nwriters ? writer(p) : reader((void *)(intptr_t)(i - nwriters));
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 60000);
    nwriters = opt_threads > 2 ? opt_threads / 2 : 1;
    STM_ATOMIC {
        slots = stm_alloc(sizeof(obj_t *) * SLOTS);
        for (int s = 0; s < SLOTS; s++) {
            obj_t *n = stm_alloc(sizeof *n);
            for (int k = 0; k < WORDS; k++)
                WR(n->w[k], (int64_t)(s + 1) * 1000000000 * (k + 1));
            WR(slots[s], n);
        }
    }
    struct stm_stats before = stats();
    run_threads(opt_threads < 2 ? 2 : opt_threads, run, NULL);
    struct stm_stats after = stats();
    long bad_end = 0;
    STM_ATOMIC {
        bad_end = 0;
        for (int s = 0; s < SLOTS; s++)
            bad_end += bad_obj(RD(slots[s]));
    }
    printf("violations %ld (end %ld)\n", violations, bad_end);
    printf("remote quiesces %llu, reused %llu\n",
           (unsigned long long)(after.quiesces_remote - before.quiesces_remote),
           (unsigned long long)(after.frees_reused - before.frees_reused));
    printf("snapshots let go: %s\n", after.quiesces_remote > before.quiesces_remote ? "yes" : "no");
    printf("DONE\n");
    return violations != 0 || bad_end != 0;
}
