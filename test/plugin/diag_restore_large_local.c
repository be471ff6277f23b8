// A local larger than -stmc-restore-locals-max (256 bytes) that an atomic block changes is not
// restored when the block runs again (a copy at each entry of the block cost a review's 64 KiB
// histogram 160x, and a shadow per block of a 1 MiB array overflowed the stack): warned, with
// file:line.  Small ones are restored silently; a larger limit restores it too.
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O2 -mllvm -stmc-restore-locals-max=65536 -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=LIMIT --allow-empty
// CHECK: {{.*}}diag_restore_large_local.c:[[@LINE+11]]:{{[0-9]+}}: warning: stmc: a local of 65536 bytes that this atomic block changes is not restored when the block runs again
// CHECK: 1 warning generated.
// LIMIT-NOT: warning:
#include <stmc.h>

typedef STM_HEAP struct c { long v; } c_t;

long histogram(c_t *g, int n)
{
    long hist[8192] = {0}, small[4] = {0};
    for (int i = 0; i < n; i++)
        STM_ATOMIC {
            hist[i & 8191] += g->v;
            small[i & 3] += g->v;
        }
    return hist[0] + small[0];
}
