// Write sets in every order: threads run blocks that visit up to 300 granules of a shared
// array in one pattern each (an ascending or descending run, a strided walk either way, a
// descending run that turns and ascends over it again, a run split in two halves written in
// swapped order, random granules) and add 1 to each granule's count and -1 to its check word
// at every visit, and the number of visits to a total.  Auditors read everything in one block.
// A commit-log entry's runs (ascending, descending, single granules: log_prepare) must carry
// each granule's value to its own place in segment 0 and in importers: a misplaced or lost
// value shows as a count that is not minus its check word, or counts that do not add up to
// the total.  Both states of STM_NO_DESC_RUNS and STM_NO_RUNS.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 --threads 3 | FileCheck %s
// RUN: env STM_NO_DESC_RUNS=1 %run %t2 --threads 3 | FileCheck %s
// RUN: env STM_NO_RUNS=1 %run %t2 --threads 3 | FileCheck %s
// RUN: env STM_SEGMENTS=2 %run %t2 --threads 4 --ops 3000 | FileCheck %s
// CHECK: write orders ok
// CHECK: DONE
#include "test.h"

#define NG 1024 /* granules */
typedef struct { int64_t cnt, chk; } gran_t;
static gran_t STM_HEAP *arr;
static int64_t STM_HEAP *total; /* its own granule: a separate allocation */
static volatile int bad;

static void visit(int g, int64_t *visits)
{
    gran_t STM_HEAP *p = &arr[g];
    WR(p->cnt, RD(p->cnt) + 1);
    WR(p->chk, RD(p->chk) - 1);
    (*visits)++;
}

static void audit(void)
{
    int64_t sum = 0, t = 0;
    int broken = 0;
    STM_ATOMIC {
        sum = 0;
        broken = 0;
        for (int g = 0; g < NG; g++) {
            int64_t c = RD(arr[g].cnt);
            sum += c;
            broken |= c != -RD(arr[g].chk);
        }
        t = RD(*total);
    }
    if (broken || sum != t)
        bad = 1;
}

static void *worker(void *p)
{
    uint64_t seed = 0x9E3779B97F4A7C15ULL * ((uintptr_t)p + 7) + opt_seed;
    for (long i = 0; i < opt_ops; i++) {
        if ((i & 7) == 7) {
            audit();
            continue;
        }
        if (i % 16 == (long)((uintptr_t)p % 16))
            _stm_test_quiesce();
        int kind = (int)(rnd(&seed) % 7), len = 1 + (int)(rnd(&seed) % 300);
        int step = 2 + (int)(rnd(&seed) % 4), lo = (int)(rnd(&seed) % NG);
        uint64_t rs = rnd(&seed);
        int span = kind == 2 || kind == 3 ? (len - 1) * step + 1 : len;
        if (span > NG) { /* (a strided walk of 300 elements 5 apart) */
            len = (NG - 1) / step + 1;
            span = (len - 1) * step + 1;
        }
        if (lo + span > NG)
            lo = NG - span;
        STM_ATOMIC {
            int64_t visits = 0;
            uint64_t r = rs;
            switch (kind) {
            case 0: /* ascending */
                for (int g = lo; g < lo + len; g++)
                    visit(g, &visits);
                break;
            case 1: /* descending */
                for (int g = lo + len - 1; g >= lo; g--)
                    visit(g, &visits);
                break;
            case 2: /* strided, ascending */
                for (int k = 0; k < len; k++)
                    visit(lo + k * step, &visits);
                break;
            case 3: /* strided, descending */
                for (int k = len - 1; k >= 0; k--)
                    visit(lo + k * step, &visits);
                break;
            case 4: /* down, then up over the same granules and on (a V) */
                for (int g = lo + len / 2; g >= lo; g--)
                    visit(g, &visits);
                for (int g = lo; g < lo + len; g++)
                    visit(g, &visits);
                break;
            case 5: /* the upper half descending, then the lower half ascending */
                for (int g = lo + len - 1; g >= lo + len / 2; g--)
                    visit(g, &visits);
                for (int g = lo; g < lo + len / 2; g++)
                    visit(g, &visits);
                break;
            default: /* random granules */
                for (int k = 0; k < len; k++)
                    visit((int)(rnd(&r) % NG), &visits);
                break;
            }
            WR(*total, RD(*total) + visits);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 6000);
    arr = stm_alloc(sizeof(gran_t) * NG);
    total = stm_alloc(sizeof(int64_t));
    run_threads(opt_threads, worker, NULL);
    audit();
    CHECK(!bad);
    struct stm_stats s = stats();
    fprintf(stderr, "commits %llu aborts %llu runs %llu descending %llu\n",
            (unsigned long long)s.commits, (unsigned long long)s.aborts,
            (unsigned long long)s.log_runs, (unsigned long long)s.log_desc_runs);
    printf("write orders ok\nDONE\n");
    return 0;
}
