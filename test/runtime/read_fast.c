// A range read barrier's call (_stm_read_slow, from a loop's preheader) in a running marked
// atomic transaction over at most 32 granules stores the read markers itself, with the heap's
// bounds and the block's frame checked inline (counter reads_fast): the markers of exactly
// the granules the range touches are the transaction's version, and the granules on either
// side keep what they had, for ranges over 1 to 41 granules starting at offsets 0, 5 and 15
// in a granule (94 of the 120 cases touch at most 32: the rest take the general path).  A
// range past the heap's end is reported by either path.  STM_NO_READ_FAST=1: the general
// path, the same markers.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: env STM_NO_READ_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,GENERAL
// RUN: env STM_HEAP_MB=64 not --crash %run %t past 2>&1 | FileCheck %s --check-prefix=PAST
// RUN: env STM_HEAP_MB=64 STM_NO_READ_FAST=1 not --crash %run %t past 2>&1 | FileCheck %s --check-prefix=PAST
// CHECK: ranges 120, marked right 120
// FAST-SAME: , fast 94
// GENERAL-SAME: , fast 0
// PAST: stmc: read of 64 bytes at heap offset 0x{{[0-9a-f]+}} is outside the STM heap (t.c:9:5)
// PAST-NOT: UNREACHED
#include "test.h"

#include <string.h>

static const struct _stm_site site = {"t.c", 9, 5};

#define CASES 120
static int64_t STM_HEAP *objs[CASES];
static int64_t STM_HEAP *cell;

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "past")) {
        uint64_t end = 0x40000000ull + 64ull * 1024 * 1024; /* STMC_HEAP_START + 64 MiB */
        STM_ATOMIC {
            WR(*(int64_t STM_HEAP *)stm_alloc(16), 1);
            _stm_read_slow(end - 32, 64, &site);
        }
        printf("UNREACHED\n");
        return 0;
    }
    cell = stm_alloc(16);
    for (int k = 0; k < CASES; k++)
        objs[k] = stm_alloc(48 * 16);
    struct stm_stats a = stats();
    int right = 0;
    STM_ATOMIC {
        right = 0;
        WR(*cell, 1); /* a write first: a read-only attempt upgrades before the ranges */
        for (int k = 0; k < CASES; k++) {
            uint64_t len = (uint64_t)(k / 3) + 1, off = (uint64_t[]){0, 5, 15}[k % 3];
            uint64_t a0 = OFF(objs[k]) + 64 + off, n = len * 16 - (off ? off - 1 : 0);
            uint64_t g0 = a0 >> 4, g1 = (a0 + n - 1) >> 4;
            _stm_read_slow(a0, n, &site);
            int v = _stm_test_rmark(g0 << 4), ok = v != 0;
            for (uint64_t g = g0; g <= g1; g++)
                ok &= _stm_test_rmark(g << 4) == v;
            ok &= _stm_test_rmark((g0 - 1) << 4) != v && _stm_test_rmark((g1 + 1) << 4) != v;
            right += ok;
        }
    }
    struct stm_stats b = stats();
    printf("ranges %d, marked right %d, fast %llu\n", CASES, right,
           (unsigned long long)(b.reads_fast - a.reads_fast));
    return 0;
}
