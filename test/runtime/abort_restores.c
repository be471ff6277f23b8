// An abort restores every byte the transaction wrote (stores, memset, memcpy), in the segment
// and never touches segment 0; a later transaction sees the committed bytes.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

#define N 10000

int main(void)
{
    SWITCH(1);
    BEGIN();
    uint8_t STM_HEAP *buf = stm_alloc(N);
    for (int i = 0; i < N; i++)
        WR(buf[i], (uint8_t)(i * 7));
    CHECK(COMMIT());

    BEGIN();
    for (int i = 0; i < N; i += 3)
        WR(buf[i], 0xEE);
    _stm_memset_h(OFF(buf) + 100, 0x11, 2000, 0);
    char flat[512];
    memset(flat, 0x22, sizeof flat);
    _stm_memcpy_hf(OFF(buf) + 5000, flat, sizeof flat, 0);
    _stm_memcpy_hh(OFF(buf) + 8000, OFF(buf) + 100, 1000, 0);
    CHECK_EQ(RD(buf[101]), 0x11);
    CHECK_EQ(RD(buf[8001]), 0x11);
    _stm_test_abort();
    CHECK(!_stm_test_running());

    int bad = 0;
    BEGIN();
    for (int i = 0; i < N; i++)
        if (RD(buf[i]) != (uint8_t)(i * 7))
            bad++;
    CHECK(COMMIT());
    CHECK_EQ(bad, 0);
    for (int i = 0; i < N; i += 8) {
        uint64_t v = _stm_test_committed_u64(OFF(buf) + i), want = 0;
        for (int k = 7; k >= 0; k--)
            want = (want << 8) | (uint8_t)((i + k) * 7);
        if (i + 8 <= N && v != want)
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(stats().aborts_test, 1);
    printf("restored %d bytes\nDONE\n", N);
    // CHECK: restored 10000 bytes
    // CHECK: DONE
    return 0;
}
