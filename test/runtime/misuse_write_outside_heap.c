// Misuse: the write barrier's slow path is given a range outside the heap (a dangling pointer
// whose marker byte happens to be mapped).  Its one-granule path checks the range with one
// comparison (the heap's end is granule-aligned): the granule just below the heap, the one
// just past its end, and a granule-crossing write at the end (general path) are reported; the
// last granule inside is accepted.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t last 2>&1 | FileCheck %s --check-prefix=LAST
// RUN: env STM_HEAP_MB=64 not --crash %run %t below 2>&1 | FileCheck %s --check-prefix=BELOW
// RUN: env STM_HEAP_MB=64 not --crash %run %t past 2>&1 | FileCheck %s --check-prefix=PAST
// RUN: env STM_HEAP_MB=64 not --crash %run %t span 2>&1 | FileCheck %s --check-prefix=SPAN
// LAST: last granule: ok
// BELOW: stmc: write of 8 bytes at heap offset 0x3ffffff8 is outside the STM heap (t.c:7:3); null or dangling heap pointer?
// BELOW-NOT: UNREACHED
// PAST: stmc: write of 8 bytes at heap offset 0x44000000 is outside the STM heap (t.c:7:3)
// PAST-NOT: UNREACHED
// SPAN: stmc: write of 16 bytes at heap offset 0x43fffff8 is outside the STM heap
// SPAN-NOT: UNREACHED
#include "test.h"

static const struct _stm_site site = {"t.c", 7, 3};

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "last";
    stm_setup("HEAP_MB=64");
    uint64_t end = STMC_HEAP_START + (64ULL << 20);
    stm_alloc(16);                       /* take a segment */
    BEGIN();
    if (!strcmp(what, "last")) {
        _stm_write_slow(end - 8, 8, &site);
        printf("last granule: ok\n");
        return 0;
    }
    if (!strcmp(what, "below"))
        _stm_write_slow(STMC_HEAP_START - 8, 8, &site);
    else if (!strcmp(what, "past"))
        _stm_write_slow(end, 8, &site);
    else
        _stm_write_slow(end - 8, 16, &site);
    printf("UNREACHED\n");
    return 0;
}
