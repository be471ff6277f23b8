// stm_setup is all or nothing: a string with an item it refuses (an unknown name, a flag read
// only from the environment, an item without '=') returns -1 and changes no flag.  Before,
// "MAX_ABORTS=0,BOGUS=1" returned -1 with MAX_ABORTS=0 in effect.  Blanks around names and
// values are skipped ("MAX_ABORTS=3, NO_RUNS=1" was refused: "unknown flag  NO_RUNS"), in the
// STM_* environment variables too.  MAX_ABORTS is seen through STM_INJECT_ABORTS=1, which
// aborts every attempt of a block until it runs inevitable: a block runs MAX_ABORTS + 1 times.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=2 %run %t 2>&1 | FileCheck %s
// CHECK: start: block ran 3 times
// CHECK-NEXT: stmc: warning: stm_setup: unknown flag BOGUS
// CHECK-NEXT: "MAX_ABORTS=0,BOGUS=1": -1, block ran 3 times
// CHECK-NEXT: stmc: warning: stm_setup: SEGMENTS only takes effect through the environment
// CHECK-NEXT: "MAX_ABORTS=0,SEGMENTS=2": -1, block ran 3 times
// CHECK-NEXT: stmc: warning: stm_setup: "NO_RUNS": expected NAME=value
// CHECK-NEXT: "MAX_ABORTS=0,NO_RUNS": -1, block ran 3 times
// CHECK-NEXT: stmc: warning: stm_setup: unknown flag NOPE
// CHECK-NEXT: stmc: warning: stm_setup: unknown flag ALSO_NOPE
// CHECK-NEXT: "NOPE=1,MAX_ABORTS=0,ALSO_NOPE=2": -1, block ran 3 times
// CHECK-NEXT: "MAX_ABORTS=3, NO_RUNS=1": 0, block ran 4 times
// CHECK-NEXT: " MAX_ABORTS = 4 ,	NO_RUNS	=0 , ,": 0, block ran 5 times
//
// RUN: env STM_INJECT_ABORTS=' 1' 'STM_MAX_ABORTS=5 	' %run %t 2>&1 | FileCheck %s --check-prefix=ENV
// ENV: start: block ran 6 times
#include "test.h"

int main(int argc, char **argv)
{
    static const char *const opts[] = {
        "MAX_ABORTS=0,BOGUS=1",
        "MAX_ABORTS=0,SEGMENTS=2",
        "MAX_ABORTS=0,NO_RUNS",
        "NOPE=1,MAX_ABORTS=0,ALSO_NOPE=2",
        "MAX_ABORTS=3, NO_RUNS=1",
        " MAX_ABORTS = 4 ,\tNO_RUNS\t=0 , ,",
    };
    (void)argv;
    printf("start: block ran %d times\n", block_runs());
    fflush(stdout);
    for (size_t i = 0; argc == 1 && i < sizeof opts / sizeof opts[0]; i++) {
        int rc = stm_setup(opts[i]);
        fflush(stderr);
        printf("\"%s\": %d, block ran %d times\n", opts[i], rc, block_runs());
        fflush(stdout);
    }
    return 0;
}
