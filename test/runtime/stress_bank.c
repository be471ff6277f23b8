// Bank: transfers between accounts by N threads, with auditors that sum every account in one
// transaction; the total never changes (opacity: an auditor never sees a half transfer).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 --threads 3 | FileCheck %s
// RUN: env STM_NO_GEN_LOCK=1 %run %t2 --threads 3 | FileCheck %s
// RUN: env STM_NO_COMMIT_SHORT=1 %run %t2 --threads 3 | FileCheck %s
// RUN: %run %t2 --threads 6 --ops 200000 | FileCheck %s
// CHECK: bank ok
// CHECK: DONE
#include "test.h"

#define NACC 64
#define INIT 1000
typedef struct { int64_t bal; int64_t pad; } acct_t;
static acct_t STM_HEAP *acc;
static volatile int bad;

static void *worker(void *p)
{
    uint64_t seed = 0x9E3779B97F4A7C15ULL * ((uintptr_t)p + 1);
    for (long i = 0; i < opt_ops; i++) {
        /* Now and then let the snapshot go (as at an external call): segments that keep theirs
         * mix with segments that announce themselves again. */
        if (i % 8 == (long)((uintptr_t)p % 8))
            _stm_test_quiesce();
        int a = (int)(rnd(&seed) % NACC), b = (int)(rnd(&seed) % NACC);
        int64_t amt = (int64_t)(rnd(&seed) % 50);
        if ((i & 15) == 0) {
            int64_t sum = 0;
            STM_ATOMIC {
                sum = 0;
                for (int k = 0; k < NACC; k++)
                    sum += RD(acc[k].bal);
            }
            if (sum != (int64_t)NACC * INIT)
                bad = 1;
            continue;
        }
        STM_ATOMIC {
            int64_t x = RD(acc[a].bal), y = RD(acc[b].bal);
            if (a != b) {
                WR(acc[a].bal, x - amt);
                WR(acc[b].bal, y + amt);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 20000);
    acc = stm_alloc(sizeof(acct_t) * NACC);
    for (int k = 0; k < NACC; k++)
        WR(acc[k].bal, INIT);
    run_threads(opt_threads, worker, NULL);
    int64_t sum = 0;
    for (int k = 0; k < NACC; k++)
        sum += RD(acc[k].bal);
    CHECK(!bad);
    CHECK_EQ(sum, (int64_t)NACC * INIT);
    struct stm_stats s = stats();
    fprintf(stderr, "commits %llu aborts %llu\n", (unsigned long long)s.commits, (unsigned long long)s.aborts);
    printf("bank ok\nDONE\n");
    return 0;
}
