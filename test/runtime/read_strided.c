// _stm_read_strided (the plugin's strided range barrier, pass test range_barrier_strided.ll)
// marks the granules of n bytes in each of count elements stride bytes apart, and no others:
// a stride that is a multiple of a granule with the bytes in one granule or across two, and
// strides that are not (24 and 40 bytes), and strides that only a run-time stride gives (8
// bytes, below a granule; 0, one element read count times).  Not in an unmarked attempt.  A span past the heap
// is reported with the site, also one whose count times stride wraps around 2^64 (the marker
// stores would otherwise have run past the markers).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t marks | FileCheck %s
// RUN: env STM_HEAP_MB=64 not --crash %run %t past 2>&1 | FileCheck %s --check-prefix=PAST
// RUN: env STM_HEAP_MB=64 not --crash %run %t wrap 2>&1 | FileCheck %s --check-prefix=WRAP
// CHECK: stride 32 size 8 at 8: marked 64 of 64, others 0
// CHECK: stride 48 size 8 at 12: marked 128 of 128, others 0
// CHECK: stride 24 size 8 at 8: marked 64 of 64, others 0
// CHECK: stride 40 size 16 at 4: marked 128 of 128, others 0
// CHECK: stride 8 size 8 at 4: marked 33 of 33, others 0
// CHECK: stride 0 size 8 at 8: marked 1 of 1, others 0
// CHECK: unmarked attempt: marked 0
// PAST: stmc: read of {{[0-9]+}} bytes at heap offset 0x{{[0-9a-f]+}} is outside the STM heap (t.c:9:5)
// PAST-NOT: UNREACHED
// WRAP: stmc: read of 18446744073709551615 bytes at heap offset 0x{{[0-9a-f]+}} is outside the STM heap (t.c:9:5)
// WRAP-NOT: UNREACHED
#include "test.h"

static const struct _stm_site site = {"t.c", 9, 5};

/* Read markers of the granules in [base, base + bytes): how many are set, among those that
 * the elements touch (want) and the others. */
static void count(const char *label, uint64_t base, uint64_t bytes, uint64_t first,
                  uint64_t stride, uint64_t n, uint64_t elems)
{
    int in = 0, want = 0, other = 0;
    for (uint64_t g = base >> 4; g < (base + bytes) >> 4; g++) {
        int touched = 0;
        for (uint64_t i = 0; i < elems; i++) {
            uint64_t a = first + i * stride;
            if (g >= a >> 4 && g <= (a + n - 1) >> 4)
                touched = 1;
        }
        int set = _stm_test_rmark(g << 4) != 0;
        want += touched;
        in += touched && set;
        other += !touched && set;
    }
    printf("%s: marked %d of %d, others %d\n", label, in, want, other);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "marks";
    uint64_t base = OFF(stm_alloc(8192));
    if (!strcmp(what, "marks")) {
        static const struct { const char *label; uint64_t off, stride, n, elems; } cases[] = {
            {"stride 32 size 8 at 8", 8, 32, 8, 64},
            {"stride 48 size 8 at 12", 12, 48, 8, 64},
            {"stride 24 size 8 at 8", 8, 24, 8, 64},
            {"stride 40 size 16 at 4", 4, 40, 16, 64},
            /* strides known only at run time (-stmc-runtime-strides): any value */
            {"stride 8 size 8 at 4", 4, 8, 8, 64},
            {"stride 0 size 8 at 8", 8, 0, 8, 1000},
        };
        for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            base = OFF(stm_alloc(8192)); /* no markers from the cases before */
            BEGIN();
            _stm_read_strided(base + cases[k].off, cases[k].elems, cases[k].stride, cases[k].n,
                              &site);
            count(cases[k].label, base, 8192, base + cases[k].off, cases[k].stride, cases[k].n,
                  cases[k].elems);
            CHECK(COMMIT());
        }
        base = OFF(stm_alloc(8192));
        _stm_test_begin_unmarked();
        _stm_read_strided(base + 8, 64, 32, 8, &site);
        int set = 0;
        for (uint64_t g = base >> 4; g < (base + 8192) >> 4; g++)
            set += _stm_test_rmark(g << 4) != 0;
        printf("unmarked attempt: marked %d\n", set);
        _stm_test_abort();
        return 0;
    }
    BEGIN();
    if (!strcmp(what, "past"))
        _stm_read_strided(base, 1ULL << 24, 64, 8, &site);   /* 1 GiB: past a 64 MiB heap */
    else
        _stm_read_strided(base, (1ULL << 56) + 1, 1ULL << 8, 8, &site); /* 2^64 + 8: wraps to 8 */
    printf("UNREACHED\n");
    return 0;
}
