// Misuse: a heap pointer used in a thread whose %gs is not an stmc segment.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: heap pointer 0x{{[0-9a-f]+}} dereferenced in a thread with no stmc segment
// CHECK-NOT: UNREACHED
#include "test.h"
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    int64_t STM_HEAP *p = stm_alloc(16);
    STM_ATOMIC { WR(*p, 1); }
    syscall(SYS_arch_prctl, ARCH_SET_GS, 0UL); /* as a thread stmc never attached */
    printf("%lld\n", (long long)RD(*p));
    printf("UNREACHED\n");
    return 0;
}
