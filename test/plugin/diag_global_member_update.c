// A block that sets one member (or element) of a global and then updates another is warned
// about: the exemption for a variable the block sets before it reads it (g = 0; g = g + 1) is
// by address, not by variable.  A first version of that exemption compared variables, and
// stats.count++ after stats.last = k went unwarned (a retried block counted twice: found by a
// review helper).  Still not warned: the member or element that the block set first.
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK-DAG: {{.*}}diag_global_member_update.c:[[@LINE+18]]:{{[0-9]+}}: warning: stmc: the global variable 'stats' is read and then written in an atomic block
// CHECK-DAG: {{.*}}diag_global_member_update.c:[[@LINE+21]]:{{[0-9]+}}: warning: stmc: the global variable 'hist' is read and then written in an atomic block
// CHECK: 2 warnings generated.
#include <stmc.h>

typedef STM_HEAP struct node {
    long key;
} node_t;

static struct {
    long last, count;
} stats;
static long hist[8], reset[8];

void record(node_t *n, long k)
{
    STM_ATOMIC {
        stats.last = n->key;
        stats.count++;
    }
    STM_ATOMIC {
        hist[0] = 0;
        hist[k & 7] = hist[k & 7] + 1;
    }
    STM_ATOMIC {
        reset[3] = 0;
        reset[3] = reset[3] + k;
        stats.last = 0;
        stats.last = stats.last + n->key;
    }
}
