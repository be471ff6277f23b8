// An atomic block that runs again starts from its locals' values at its entry: the plugin
// restores, at each retry, the locals of the block's function that the block may change and
// that a later read could see (AME: the aborted attempts never ran).  Before, they kept what
// the aborted attempt left, and `total += x` in a block counted twice at each retry, also with
// one thread (a read-only attempt that writes runs the block again; a session's benchmark
// summed 1.4% too much).  Here: a sum, a local changed through a pointer passed to a function,
// a struct, an array, a nested block, with aborts injected, at -O0 and -O2; two threads whose
// blocks conflict.  Not restored: a local the program declared volatile (the way to count
// attempts) -- `runs` counts every attempt.  -mllvm -stmc-restore-locals=0: the contract
// before (KEPT).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && env STM_INJECT_ABORTS=3 %run %t0 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 && env STM_INJECT_ABORTS=3 %run %t2 | FileCheck %s
// RUN: %run %t2 | FileCheck %s
// RUN: %stmcc -O2 -mllvm -stmc-restore-locals=0 %s -o %tk && env STM_INJECT_ABORTS=3 %run %tk | FileCheck %s --check-prefix=KEPT
// RUN: %stmcc -O2 -mllvm -stmc-report -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// CHECK: one thread: total 2000 via-pointer 2000 struct 1000/2000 array 250,250,250,250 nested 1000 runs>=blocks yes
// CHECK: two threads: sums ok, counter 20000
// KEPT-NOT: one thread: total 2000 via-pointer 2000 struct 1000/2000
// KEPT: two threads: sums WRONG
// REPORT: locals restored at an atomic block's retry {{[1-9][0-9]*}}
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

typedef STM_HEAP struct c { long v, w; } c_t;
static c_t *g;

static void add(long *t, long x) { *t += x; }

struct acc { long n, sum; };

static void one_thread(void)
{
    long total = 0, via = 0, arr[4] = {0}, nested = 0;
    struct acc a = {0, 0};
    volatile long runs = 0;
    for (int i = 0; i < 1000; i++) {
        STM_ATOMIC {
            runs++;
            total += g->v;
            add(&via, g->v);
            a.n++;
            a.sum += g->v;
            arr[i & 3] += 1;
            STM_ATOMIC { nested++; }
            g->w++;
        }
    }
    printf("one thread: total %ld via-pointer %ld struct %ld/%ld array %ld,%ld,%ld,%ld nested %ld "
           "runs>=blocks %s\n",
           total, via, a.n, a.sum, arr[0], arr[1], arr[2], arr[3], nested,
           runs >= 1000 ? "yes" : "no");
}

static long sums[2];

static void *worker(void *arg)
{
    long sum = 0;
    for (int i = 0; i < 10000; i++)
        STM_ATOMIC {
            sum += 1;
            g->v++; /* both threads: conflicts */
        }
    sums[(long)arg] = sum;
    return NULL;
}

int main(void)
{
    g = stm_alloc(sizeof *g);
    g->v = 2;
    one_thread();
    g->v = 0;
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (long i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("two threads: sums %s, counter %ld\n",
           sums[0] == 10000 && sums[1] == 10000 ? "ok" : "WRONG", g->v);
    return 0;
}
