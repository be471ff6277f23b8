// A thread-local variable that a block sets in part and then updates in a wider access is
// still an update (bytes 1-7 of `tu.l` below keep what the aborted attempt left): warned.
// A set of the whole field before its update is not (`ts.b = 0; ts.b++`).
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK: {{.*}}diag_tls_partial_update.c:[[@LINE+10]]:{{[0-9]+}}: warning: stmc: the thread-local variable 'tu' is read and then written in an atomic block
// CHECK: 1 warning generated.
#include <stmc.h>

typedef STM_HEAP struct node { long key; } node_t;
static _Thread_local union { long l; char c[8]; } tu;
static _Thread_local struct { long a, b; } ts;

void partial(node_t *n)
{
    STM_ATOMIC { tu.c[0] = 1; tu.l++; n->key = tu.l; }
}

void whole(node_t *n)
{
    STM_ATOMIC { ts.b = 0; ts.b++; n->key = ts.b; }
}
