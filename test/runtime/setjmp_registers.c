// An aborted attempt of an atomic block returns to the block's _stm_setjmp with the caller's
// callee-saved registers and stack pointer as they were there: seven values live across the
// block (in rbx, rbp, r12-r15 and a stack slot at -O2), and a local array, keep their
// values after the attempt that aborted deep inside the runtime (the first run of a block is
// an unmarked attempt; its write aborts it).  The retry runs on the same stack.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %run %t0 | FileCheck %s
// CHECK: attempts 2, upgrades 1
// CHECK: values kept
#include "test.h"

static __attribute__((noinline)) long opaque(long x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

int main(int argc, char **argv)
{
    (void)argv;
    int64_t STM_HEAP *o = stm_alloc(16);
    long a = opaque(argc * 3), b = opaque(argc * 5), c = opaque(argc * 7), d = opaque(argc * 11);
    long e = opaque(argc * 13), f = opaque(argc * 17), g = opaque(argc * 19);
    volatile long arr[16];
    for (int i = 0; i < 16; i++)
        arr[i] = opaque(i * argc);
    volatile int attempts = 0;
    uint64_t up0 = stats().unmarked_upgrades;
    STM_ATOMIC {
        attempts++;
        WR(*o, a + b + c + d + e + f + g);
    }
    printf("attempts %d, upgrades %llu\n", attempts,
           (unsigned long long)(stats().unmarked_upgrades - up0));
    CHECK_EQ(a, argc * 3);
    CHECK_EQ(b, argc * 5);
    CHECK_EQ(c, argc * 7);
    CHECK_EQ(d, argc * 11);
    CHECK_EQ(e, argc * 13);
    CHECK_EQ(f, argc * 17);
    CHECK_EQ(g, argc * 19);
    for (int i = 0; i < 16; i++)
        CHECK_EQ(arr[i], i * argc);
    STM_ATOMIC {
        CHECK_EQ(RD(*o), argc * 75);
    }
    printf("values kept\n");
    return 0;
}
