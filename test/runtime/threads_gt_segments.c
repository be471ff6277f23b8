// More threads than segments: threads wait for a free segment and segments are handed over
// at atomic-block exit; also checks the shared library (pthread_create interposed from
// libstmc.so).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=2 %run %t --threads 5 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s -L%stmc_lib -lstmc -Wl,-rpath,%stmc_lib -lpthread -o %t.so
// RUN: env STM_SEGMENTS=1 %run %t.so --threads 3 | FileCheck %s
// CHECK: counter ok
#include "test.h"

static int64_t STM_HEAP *ctr;
static void *worker(void *p)
{
    (void)p;
    for (long i = 0; i < opt_ops; i++)
        STM_ATOMIC { WR(*ctr, RD(*ctr) + 1); }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 5000);
    ctr = stm_alloc(sizeof *ctr);
    run_threads(opt_threads, worker, NULL);
    CHECK_EQ(RD(*ctr), opt_threads * opt_ops);
    printf("counter ok (%llu segment waits)\n", (unsigned long long)stats().segment_waits);
    return 0;
}
