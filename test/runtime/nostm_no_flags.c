// What docs/api.md's STMC_NO_STM section says of flags and statistics in the plain-C baseline:
// the STM_* variables are not read (STM_STATS=1 prints nothing at exit), stm_setup returns 0
// whatever its string holds, stm_stats_get gives zeros, stm_stats_print prints one line.
// RUN: %clang -O2 -DSTMC_NO_STM -I%stmc_include %s %stmc_lib/libstmc_nostm.a -lpthread -o %t
// RUN: env STM_STATS=1 STM_MAX_ABORTS=abc %run %t 2>&1 | FileCheck %s --implicit-check-not=stmc
// CHECK: setup 0 0 0
// CHECK-NEXT: commits 0 allocs 0
// CHECK-NEXT: stmc statistics: none (built with --no-stm)
// CHECK-NEXT: end
#include "test.h"

int main(void)
{
    long STM_HEAP *p = stm_alloc(sizeof *p);
    STM_ATOMIC {
        *p += 1;
    }
    printf("setup %d %d %d\n", stm_setup("BOGUS=1"), stm_setup("MAX_ABORTS=0x3,SEGMENTS=2"),
           stm_setup("no equals sign"));
    struct stm_stats s = stats();
    printf("commits %llu allocs %llu\n", (unsigned long long)s.commits,
           (unsigned long long)s.allocs);
    fflush(stdout);
    stm_stats_print(stdout);
    stm_free(p);
    printf("end\n");
    return 0;
}
