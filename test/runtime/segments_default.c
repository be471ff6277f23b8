// The number of segments: STM_SEGMENTS=N gives N; the default (0) gives two per CPU in the
// process's affinity mask, at least 16 and at most 64, so that every core of a larger machine
// can run a transaction without waiting for a segment, and twice as many threads as CPUs run
// without taking turns (12 threads on 8 segments ran a review's vacation port 10x slower).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t auto | FileCheck %s
// RUN: env STM_SEGMENTS=0 %run %t auto | FileCheck %s
// RUN: env STM_SEGMENTS=3 %run %t 3 | FileCheck %s
// RUN: env STM_SEGMENTS=64 %run %t 64 | FileCheck %s
// RUN: taskset -c 0 %run %t 16 | FileCheck %s
// CHECK: segments ok
#define _GNU_SOURCE
#include "test.h"
#include <sched.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    int want;
    if (strcmp(argv[1], "auto") == 0) {
        cpu_set_t set;
        CHECK(sched_getaffinity(0, sizeof set, &set) == 0);
        int n = CPU_COUNT(&set);
        want = 2 * n < 16 ? 16 : 2 * n > 64 ? 64 : 2 * n;
    } else {
        want = atoi(argv[1]);
    }
    int got = _stm_test_nsegments();
    printf("cpus %ld, segments %d, expected %d\n", sysconf(_SC_NPROCESSORS_ONLN), got, want);
    CHECK_EQ(got, want);
    printf("segments ok\n");
    return 0;
}
