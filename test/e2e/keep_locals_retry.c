// An atomic block that runs again (a conflict, or a read-only attempt that writes) starts
// from the locals' values at its entry (the plugin restores the locals it may have changed:
// AME), at -O0 and -O2.  Each thread counts its block's runs in a local declared outside the
// block; the blocks of all threads increment one shared counter, so their commits conflict,
// and each thread's first run of the block is a read-only attempt that the write aborts.  In
// all: runs == blocks (each retried increment undone), however many aborts.  Twice: a flat
// block, then a block whose write is in a nested block (an abort there, or at the outer
// block's commit, returns to the outer block's start).
// With -mllvm -stmc-restore-locals=0 the locals keep what the aborted attempts left (the
// contract before): runs == blocks + aborts, at every -O level (the pass keeps such locals in
// memory); at -O2 without the pass's volatile locals as well (-mllvm -stmc-keep-locals=0) the
// counters lose every aborted run: the longjmp restores the registers they were kept in.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t.O0
// RUN: %run %t.O0 | FileCheck %s --check-prefix=RESTORE
// RUN: %stmcc -O2 %s -o %t.O2
// RUN: %run %t.O2 | FileCheck %s --check-prefix=RESTORE
// RUN: %stmcc -O0 -mllvm -stmc-restore-locals=0 %s -o %t.kept0
// RUN: %run %t.kept0 | FileCheck %s
// RUN: %stmcc -O2 -mllvm -stmc-restore-locals=0 %s -o %t.kept2
// RUN: %run %t.kept2 | FileCheck %s
// RUN: %stmcc -O2 -mllvm -stmc-restore-locals=0 -mllvm -stmc-keep-locals=0 %s -o %t.off
// RUN: %run %t.off | FileCheck %s --check-prefix=OFF
// RESTORE: flat: aborts > 0: yes
// RESTORE-NEXT: flat: runs == blocks + aborts: no
// RESTORE-NEXT: flat: runs == blocks: yes
// RESTORE-NEXT: flat: counter: ok
// RESTORE: nested: aborts > 0: yes
// RESTORE-NEXT: nested: runs == blocks + aborts: no
// RESTORE-NEXT: nested: runs == blocks: yes
// RESTORE-NEXT: nested: counter: ok
// CHECK: flat: aborts > 0: yes
// CHECK-NEXT: flat: runs == blocks + aborts: yes
// CHECK: flat: counter: ok
// CHECK: nested: aborts > 0: yes
// CHECK-NEXT: nested: runs == blocks + aborts: yes
// CHECK: nested: counter: ok
// OFF: flat: aborts > 0: yes
// OFF-NEXT: flat: runs == blocks + aborts: no
// OFF: flat: counter: ok
// OFF: nested: aborts > 0: yes
// OFF-NEXT: nested: runs == blocks + aborts: no
// OFF: nested: counter: ok
#include <stmc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#define THREADS 4
#define BLOCKS 20000

struct counter {
    long n;
};
static struct counter STM_HEAP *shared;
static long runs_of[THREADS];
static bool nested;

static void *work(void *arg)
{
    long t = (long)arg;
    long runs = 0;
    for (long i = 0; i < BLOCKS; i++) {
        if (nested) {
            STM_ATOMIC {
                runs++;
                STM_ATOMIC {
                    shared->n++;
                }
            }
        } else {
            STM_ATOMIC {
                runs++;
                shared->n++;
            }
        }
    }
    runs_of[t] = runs;
    return NULL;
}

/* Runs the threads; false if the counter is wrong. */
static bool phase(const char *name)
{
    shared->n = 0;
    struct stm_stats before, after;
    stm_stats_get(&before);
    pthread_t th[THREADS];
    for (long t = 0; t < THREADS; t++)
        pthread_create(&th[t], NULL, work, (void *)t);
    for (long t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    stm_stats_get(&after);
    long runs = 0;
    for (int t = 0; t < THREADS; t++)
        runs += runs_of[t];
    long aborts = (long)(after.aborts - before.aborts);
    long n = shared->n;
    printf("%s: runs %ld, blocks %d, aborts %ld, counter %ld\n", name, runs, THREADS * BLOCKS,
           aborts, n);
    printf("%s: aborts > 0: %s\n", name, aborts > 0 ? "yes" : "no");
    printf("%s: runs == blocks + aborts: %s\n", name,
           runs == THREADS * BLOCKS + aborts ? "yes" : "no");
    printf("%s: runs == blocks: %s\n", name, runs == THREADS * BLOCKS ? "yes" : "no");
    printf("%s: counter: %s\n", name, n == THREADS * BLOCKS ? "ok" : "WRONG");
    return n == THREADS * BLOCKS;
}

int main(void)
{
    shared = stm_alloc(sizeof *shared);
    bool ok = phase("flat");
    nested = true;
    ok &= phase("nested");
    return ok ? 0 : 1;
}
