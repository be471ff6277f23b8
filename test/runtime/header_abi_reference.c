// A file that includes <stmc.h> refers to the ABI version of the header it was compiled with,
// also without the plugin (explicit barriers), so that one compiled against another stmc's
// header fails to link against this runtime instead of calling it by other conventions (an
// object of ABI 5 called _stm_atomic_pre without the site argument of ABI 6 and linked).
// The plain-C build (STMC_NO_STM) refers to nothing: its library has no ABI.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -DSTMC_EXPLICIT_BARRIERS -I%stmc_include -c %s -o %t.o
// RUN: llvm-nm %t.o | FileCheck %s
// RUN: %clang -O2 -DSTMC_NO_STM -I%stmc_include -c %s -o %t.nostm.o
// RUN: llvm-nm %t.nostm.o | FileCheck %s --check-prefix=NOSTM
// RUN: %clang -O2 -DSTMC_EXPLICIT_BARRIERS -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefix=OUT
// CHECK: U _stm_abi_v6
// NOSTM-NOT: _stm_abi
// OUT: ok 3
#include <stmc.h>
#include <stdio.h>

int main(void)
{
    long STM_HEAP *p = stm_alloc(sizeof *p);
    STM_ATOMIC {
        STM_STORE(*p, 3);
    }
    long v;
    STM_ATOMIC {
        v = STM_LOAD(*p);
    }
    printf("ok %ld\n", v);
    return 0;
}
