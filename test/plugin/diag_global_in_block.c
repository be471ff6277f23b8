// A global variable (plain memory) that an atomic block reads and then writes is warned about,
// with file:line, at -O0 and -O2: an abort does not undo the write, so the block's next attempt
// reads the changed value (the list head below would point at its own node).  Not warned: a
// variable the block only sets, or sets before it reads it (also when it then updates the
// value it set: `total = 0; total = total + k;`, and in a loop); volatile and atomic
// accesses; the same update outside atomic blocks.  A thread-local variable is warned too, in
// its own words: a block runs again also with one thread (a read-only attempt that writes).
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK-DAG: {{.*}}diag_global_in_block.c:[[@LINE+23]]:{{[0-9]+}}: warning: stmc: the global variable 'head' is read and then written in an atomic block: it is plain memory, so an abort does not undo the write
// CHECK-DAG: {{.*}}diag_global_in_block.c:[[@LINE+23]]:{{[0-9]+}}: warning: stmc: the global variable 'pushes' is read and then written in an atomic block
#include <stmc.h>

typedef STM_HEAP struct node {
    long key;
    STM_HEAP struct node *next;
} node_t;

node_t *head;
static long pushes, last_key, sets;
static volatile long seen;
static long atomics;
static __thread long mine;
static node_t *spare;
static long total, sum;

void push(long k)
{
    node_t *n = stm_alloc(sizeof *n);
    STM_ATOMIC {
        n->key = k;
        n->next = head;
        head = n;
        pushes++;
        last_key = k;
        seen = seen + 1;
        __atomic_fetch_add(&atomics, 1, __ATOMIC_RELAXED);
        mine++;
        spare = n;
        if (spare->key)
            sets = 1;
        total = 0;
        total = total + k;
        sum = 0;
        for (long i = 0; i < k; i++)
            sum = sum + i;
    }
    sets++;
}
// CHECK-DAG: {{.*}}diag_global_in_block.c:[[@LINE-12]]:{{[0-9]+}}: warning: stmc: the thread-local variable 'mine' is read and then written in an atomic block: {{.*}} (a block may run again also with one thread: a read-only attempt that writes)
// CHECK: 3 warnings generated.

/* A thread-local variable the block sets before it reads it, and a thread-local struct's field
 * set before it is updated: not warned, as for plain globals (each access of a thread-local
 * computes its address anew, and the set-before-read rule compared the computations). */
static _Thread_local long tl_total;
static _Thread_local struct { long last, count; } tl_s;
void tls_set_first(node_t *n, long k)
{
    STM_ATOMIC {
        tl_total = 0;
        tl_total = tl_total + k;
        tl_s.count = 0;
        tl_s.count++;
        n->key = tl_total + tl_s.count;
    }
}
