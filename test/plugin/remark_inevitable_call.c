// A call that makes an atomic block inevitable (a function stmc did not compile: sprintf into
// a local buffer, a write to a file) gets a missed-optimisation remark naming it
// (-Rpass-missed=stm): a user's server lost time to such blocks, and nothing said which.  The
// same calls outside blocks, and a call of an STM_PURE function in a block, get none.
// RUN: %stmcc -O2 -c %s -o %t.o -Rpass-missed=stm 2>&1 | FileCheck %s --implicit-check-not=InevitableCall --implicit-check-not="makes the atomic block inevitable"
// RUN: %stmcc -O0 -c %s -o %t.o -Rpass-missed=stm 2>&1 | FileCheck %s --implicit-check-not="makes the atomic block inevitable"
// CHECK: remark_inevitable_call.c:[[@LINE+14]]:9: remark: the call to 'sprintf' makes the atomic block inevitable: it runs alone from here, and other threads' commits wait for its end (move the call out of the block, or declare a function that does no I/O and touches no shared state STM_PURE) [-Rpass-missed=stm]
// CHECK: remark_inevitable_call.c:[[@LINE+14]]:20: remark: the call to 'fputs' makes the atomic block inevitable
#include <stmc.h>
#include <stdio.h>

typedef STM_HEAP struct c { long v; } c_t;
c_t *g;
STM_PURE int digits(int j);

void incr(int j, FILE *log)
{
    char k[16];
    sprintf(k, "ctr:%d", j); /* outside the block: no remark */
    STM_ATOMIC {
        sprintf(k, "ctr:%d", j);
        if (j < 0) fputs("negative\n", log);
        g->v += k[4] + digits(j);
    }
}
