// Flag values are decimal integers, in the STM_* environment variables and in stm_setup: "010"
// is ten and "09" nine, "0x3" is no number (stmc: ...: not a number, then abort).  Before, they
// were read as C literals: STM_MAX_ABORTS=010 meant 8, 0x3 meant 3 and 09 was "not a number".
// MAX_ABORTS is seen through STM_INJECT_ABORTS=1 (every attempt aborts until the block runs
// inevitable): a block runs MAX_ABORTS + 1 times.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=010 %run %t 2>&1 | FileCheck %s --check-prefix=ENV10
// ENV10: block ran 11 times
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=09 %run %t 2>&1 | FileCheck %s --check-prefix=ENV9
// ENV9: block ran 10 times
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=2 %run %t MAX_ABORTS=010 2>&1 | FileCheck %s --check-prefix=SETUP10
// SETUP10: block ran 3 times
// SETUP10-NEXT: "MAX_ABORTS=010": 0, block ran 11 times
// RUN: env STM_STATS=0x1 not --crash %run %t 2>&1 | FileCheck %s --check-prefix=ENVHEX
// ENVHEX: stmc: STM_STATS=0x1: not a number (values are decimal integers)
// RUN: env STM_INJECT_ABORTS=1 not --crash %run %t MAX_ABORTS=0x3 2>&1 | FileCheck %s --check-prefix=SETUPHEX
// SETUPHEX: block ran 11 times
// SETUPHEX-NEXT: stmc: STM_MAX_ABORTS=0x3: not a number (values are decimal integers)
// RUN: env STM_MAX_ABORTS=99999999999999999999 not --crash %run %t 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: stmc: STM_MAX_ABORTS=99999999999999999999: not a number
#include "test.h"

int main(int argc, char **argv)
{
    printf("block ran %d times\n", block_runs());
    fflush(stdout);
    for (int i = 1; i < argc; i++) {
        int rc = stm_setup(argv[i]);
        printf("\"%s\": %d, block ran %d times\n", argv[i], rc, block_runs());
        fflush(stdout);
    }
    return 0;
}
