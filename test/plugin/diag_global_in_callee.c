// A global variable that a function called from an atomic block reads and then writes is
// warned about at that function's store, naming the block, at -O0 and -O2 (the warning runs
// before inlining): an abort does not undo the write, so each retry bumps it again.  Followed
// through calls to the functions this file defines, two levels deep here; each function and
// variable warned once, however many blocks call it (a thread-local one too, in its own words).
// Not warned: a callee that only sets the variable, volatile and atomic updates, a function called only outside atomic
// blocks, and STM_EXTERNAL functions (the call makes the transaction inevitable first, so it
// cannot abort after it).
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK-DAG: {{.*}}diag_global_in_callee.c:[[@LINE+21]]:{{[0-9]+}}: warning: stmc: the global variable 'pushes' is read and then written in 'count_push', which the atomic block at {{.*}}diag_global_in_callee.c:[[@LINE+57]]:{{[0-9]+}} calls: it is plain memory, so an abort does not undo the write
// CHECK-DAG: {{.*}}diag_global_in_callee.c:[[@LINE+25]]:{{[0-9]+}}: warning: stmc: the global variable 'depth2' is read and then written in 'deeper', which the atomic block at {{.*}}diag_global_in_callee.c:[[@LINE+56]]:{{[0-9]+}} calls
// CHECK-DAG: {{.*}}diag_global_in_callee.c:[[@LINE+34]]:{{[0-9]+}}: warning: stmc: the global variable 'total' is read and then written in 'add_total'
#include <stmc.h>

typedef STM_HEAP struct node {
    long key;
    STM_HEAP struct node *next;
} node_t;
typedef STM_HEAP struct list {
    node_t *head;
} list_t;

list_t *list;
static long pushes, depth2, total, last_key, outside;
static volatile long seen;
static long atomics;
static __thread long mine;

__attribute__((noinline)) static void count_push(void)
{
    pushes++;
}

__attribute__((noinline)) static void deeper(long k)
{
    depth2 += k;
}

__attribute__((noinline)) static void via(long k)
{
    deeper(k);
}

__attribute__((noinline)) static void add_total(long k)
{
    total = total + k;
}

__attribute__((noinline)) static void quiet(long k)
{
    last_key = k;
    seen = seen + 1;
    __atomic_fetch_add(&atomics, 1, __ATOMIC_RELAXED);
    mine++;
}

__attribute__((noinline)) static void only_outside(void)
{
    outside++;
}

STM_EXTERNAL void log_push(long k);

void push(long k)
{
    node_t *n = stm_alloc(sizeof *n);
    STM_ATOMIC {
        n->key = k;
        n->next = list->head;
        list->head = n;
        count_push();
        via(k);
        add_total(k);
        quiet(k);
        log_push(k);
    }
    only_outside();
}

long pop_all(void)
{
    long n = 0;
    STM_ATOMIC {
        while (list->head) {
            list->head = list->head->next;
            n++;
        }
        add_total(-n);
    }
    return n;
}
// CHECK-DAG: {{.*}}diag_global_in_callee.c:[[@LINE-38]]:{{[0-9]+}}: warning: stmc: the thread-local variable 'mine' is read and then written in
// CHECK: 4 warnings generated.
