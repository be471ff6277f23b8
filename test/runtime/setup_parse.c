// stm_setup's string: items separated by commas, empty ones skipped (a leading comma made the
// first flag "unknown"); an item without '=' is warned about and makes the result -1 (it was
// -1 without a word); a flag read only from the environment is warned about and ignored
// whatever its value (SEGMENTS=abc aborted as "not a number").
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t 2>&1 | FileCheck %s
// CHECK: ",MAX_ABORTS=5,,": 0
// CHECK-NEXT: stmc: warning: stm_setup: "MAX_ABORTS": expected NAME=value
// CHECK-NEXT: "MAX_ABORTS": -1
// CHECK-NEXT: stmc: warning: stm_setup: SEGMENTS only takes effect through the environment
// CHECK-NEXT: "SEGMENTS=abc": -1
// CHECK-NEXT: stmc: warning: stm_setup: unknown flag NOPE
// CHECK-NEXT: "NOPE=1,MAX_ABORTS=7": -1
#include "test.h"

static void try(const char *opts)
{
    fflush(stdout);
    int rc = stm_setup(opts);
    fflush(stderr);
    printf("\"%s\": %d\n", opts, rc);
    fflush(stdout);
}

int main(void)
{
    try(",MAX_ABORTS=5,,");
    try("MAX_ABORTS");
    try("SEGMENTS=abc");
    try("NOPE=1,MAX_ABORTS=7");
    return 0;
}
