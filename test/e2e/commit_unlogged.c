// While no segment but the first has ever been held, a short commit appends no commit-log entry
// (counter commits_unlogged): it writes segment 0 only.  A segment held later must still see
// every such commit (it starts on segment 0), and from then on every commit is logged, so that
// conflicts between the two segments are found.
//   1. main alone: short blocks (unlogged), a block that allocates (the general commit, which
//      logs, as do blocks run inevitable after aborts in a row), short blocks again, while a
//      thread without a segment reads the statistics (derived counters stay consistent);
//   2. a second thread, in a fresh segment while main keeps its own, reads every cell and
//      compares it with what main read in its own segment;
//   3. both move amounts between random cells at once: the total stays exact, and no commit
//      of that phase is unlogged.
// STM_NO_UNLOGGED=1: every short commit is logged, the same results.  A test's pause hook
// (_stm_test_pause_commit) set while unlogged runs in the next commit, which then logs.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 -lpthread
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,UNLOGGED
// RUN: %stmcc -O2 %s -o %t2 -lpthread
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,UNLOGGED
// RUN: env STM_INJECT_ABORTS=3 %run %t2 | FileCheck %s --check-prefixes=CHECK,UNLOGGED
// RUN: env STM_NO_UNLOGGED=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,LOGGED
// UNLOGGED: alone: every short commit unlogged: yes
// LOGGED: alone: every short commit unlogged: no
// UNLOGGED-NEXT: alone: log entries only for the other commits: yes
// LOGGED-NEXT: alone: log entries only for the other commits: no
// CHECK-NEXT: alone: log runs only in appended entries: yes
// CHECK-NEXT: alone: statistics read meanwhile consistent: yes
// CHECK-NEXT: alone: a pause hook runs in the next commit: yes
// CHECK-NEXT: second segment: sees every cell as main does: yes
// CHECK-NEXT: together: total kept: yes
// CHECK-NEXT: together: every move seen: yes
// CHECK-NEXT: together: unlogged commits: 0
#include "Inputs/cells/cells.h"
#include <pthread.h>
#include <sched.h>

#define CELLS 256
#define ALONE 100000
#define TOGETHER 20000

static struct cell STM_HEAP *cells;
static long STM_HEAP *extra;
static long seen_by_main[CELLS];
static int ok_b = 1, b_ready, b_done, main_back;

static void transfers(unsigned long long seed, long n)
{
    cells_transfer(cells, CELLS, seed, n);
}

static void *second(void *arg)
{
    (void)arg;
    /* pthread_create parked main's segment for this thread (while it was the only one used:
     * STM_NO_CREATE_PARK); main takes it back first, so that this one takes a fresh one */
    while (!__atomic_load_n(&main_back, __ATOMIC_ACQUIRE))
        ;
    STM_ATOMIC {
        for (long i = 0; i < CELLS; i++)
            if (cells[i].value != seen_by_main[i])
                ok_b = 0;
    }
    __atomic_store_n(&b_ready, 1, __ATOMIC_RELEASE);
    transfers(77, TOGETHER);
    __atomic_store_n(&b_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* Reads the statistics while main commits alone (a thread that never touches the heap holds
 * no segment): derived counters must never exceed what they are derived from. */
static int monitor_stop, monitor_started;
static long monitor_reads, monitor_bad;
static struct stm_stats monitor_first_bad; /* printed to stderr if the check fails */
static void *monitor(void *arg)
{
    (void)arg;
    do {
        struct stm_stats st;
        stm_stats_get(&st);
        monitor_reads++;
        if (st.log_entries > st.commits || st.log_runs > st.published_granules ||
            st.commits_unlogged > st.commits_short) {
            if (!monitor_bad)
                monitor_first_bad = st;
            monitor_bad++;
        }
        __atomic_store_n(&monitor_started, 1, __ATOMIC_RELEASE);
    } while (!__atomic_load_n(&monitor_stop, __ATOMIC_ACQUIRE));
    return NULL;
}

static int hook_ran;
static void hook(void *arg) { ++*(int *)arg; }

int main(void)
{
    cells = stm_alloc(CELLS * sizeof *cells);
    for (long i = 0; i < CELLS; i++)
        cells[i].value = 1000, cells[i].moves = 0;

    STM_ATOMIC {
        (void)0; /* entering a block ends main's implicit transaction (logged) first */
    }
    struct stm_stats a, b;
    stm_stats_get(&a);
    uint64_t seq0 = _stm_test_log_seq();
    pthread_t mt;
    pthread_create(&mt, NULL, monitor, NULL);
    /* main's commits start once the monitor reads: on a loaded machine (CI runs two tests at
     * once) the whole phase once ended before the new thread first ran, and no read was made */
    while (!__atomic_load_n(&monitor_started, __ATOMIC_ACQUIRE))
        sched_yield();
    transfers(1, ALONE);
    STM_ATOMIC {
        extra = stm_alloc(sizeof *extra); /* the general commit: logged */
        *extra = 5;
    }
    transfers(2, ALONE);
    __atomic_store_n(&monitor_stop, 1, __ATOMIC_RELEASE);
    pthread_join(mt, NULL);
    stm_stats_get(&b);
    uint64_t seq1 = _stm_test_log_seq();
    uint64_t short_commits = b.commits_short - a.commits_short;
    printf("alone: every short commit unlogged: %s\n",
           yes(short_commits > 0 && b.commits_unlogged - a.commits_unlogged == short_commits));
    /* every other writing commit logs: the allocating block's, and those of blocks that ran
     * inevitable after aborts in a row (STM_INJECT_ABORTS) */
    uint64_t general = (b.commits - a.commits) - short_commits -
                       (b.commits_readonly - a.commits_readonly);
    printf("alone: log entries only for the other commits: %s\n",
           yes(general >= 1 && b.log_entries - a.log_entries == general &&
               seq1 - seq0 == general));

    /* a transfer's entry has 1 or 2 runs, the allocating block's a few */
    printf("alone: log runs only in appended entries: %s\n",
           yes(b.log_runs - a.log_runs <= 2 * (b.log_entries - a.log_entries) + 4));
    printf("alone: statistics read meanwhile consistent: %s\n",
           yes(monitor_reads > 0 && monitor_bad == 0));
    if (monitor_reads == 0 || monitor_bad)
        fprintf(stderr, "monitor: %ld reads, %ld inconsistent; the first: log_entries %llu "
                "commits %llu, log_runs %llu published_granules %llu, commits_unlogged %llu "
                "commits_short %llu\n", monitor_reads, monitor_bad,
                (unsigned long long)monitor_first_bad.log_entries,
                (unsigned long long)monitor_first_bad.commits,
                (unsigned long long)monitor_first_bad.log_runs,
                (unsigned long long)monitor_first_bad.published_granules,
                (unsigned long long)monitor_first_bad.commits_unlogged,
                (unsigned long long)monitor_first_bad.commits_short);

    /* A test's pause hook set now runs in main's next commit (which then logs). */
    _stm_test_pause_commit(hook, &hook_ran);
    transfers(4, 1);
    printf("alone: a pause hook runs in the next commit: %s\n", yes(hook_ran == 1));

    STM_ATOMIC {
        for (long i = 0; i < CELLS; i++)
            seen_by_main[i] = cells[i].value;
    }
    pthread_t t;
    pthread_create(&t, NULL, second, NULL);
    (void)*extra; /* main's segment again */
    __atomic_store_n(&main_back, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&b_ready, __ATOMIC_ACQUIRE))
        (void)*extra; /* a heap access: main keeps its segment */
    printf("second segment: sees every cell as main does: %s\n", yes(ok_b));
    stm_stats_get(&a);
    transfers(3, TOGETHER);
    while (!__atomic_load_n(&b_done, __ATOMIC_ACQUIRE))
        (void)*extra;
    pthread_join(t, NULL);
    stm_stats_get(&b);
    long total, moves;
    cells_sums(cells, CELLS, &total, &moves);
    printf("together: total kept: %s\n", yes(total == 1000L * CELLS));
    /* main's segment sees the second thread's moves too (its commits were imported) */
    printf("together: every move seen: %s\n", yes(moves == 2L * (2 * ALONE + 1 + 2 * TOGETHER)));
    printf("together: unlogged commits: %llu\n",
           (unsigned long long)(b.commits_unlogged - a.commits_unlogged));
    return 0;
}
