// A function that code stmc did not compile calls back, by the declaration's
// __attribute__((callback(fn, arg))) (clang's !callback metadata; a thread pool's submit, which
// runs the task in its own worker thread and then waits for the next one), ends its implicit
// transaction before it returns into that code, as OpenMP's outlined regions do (with
// _stm_external_wait: the pool then waits for other threads, and the segment is parked for a
// thread that waits for one)
// (openmp_runtime_calls.c): the worker would otherwise wait in the pool holding the token.
// Not when the declaration is one stmc compiled elsewhere (no STM_EXTERNAL: its callback
// returns into stmc code), and not for qsort's comparator (no callback attribute: an end at
// each comparison would cost).  The argument that the attribute hands to the callback may be
// a heap pointer cast to void * without the cast warning, as pthread_create's.
// RUN: %stmcc -O0 -S -emit-llvm %s -o %t0.ll 2>&1 | FileCheck %s --check-prefix=DIAG --allow-empty
// RUN: %stmcc -O2 -S -emit-llvm %s -o %t2.ll 2>&1 | FileCheck %s --check-prefix=DIAG --allow-empty
// RUN: awk -f %S/Inputs/returns_after.awk -v fn='^@(task|own_task|cmp)$' %t0.ll | FileCheck %s
// RUN: awk -f %S/Inputs/returns_after.awk -v fn='^@(task|own_task|cmp)$' %t2.ll | FileCheck %s
// DIAG-NOT: warning
// CHECK-DAG: @task: ret after _stm_external_wait
// CHECK-DAG: @own_task: ret without a call before it
// CHECK-DAG: @cmp: ret without a call before it
#include <stmc.h>
#include <stdlib.h>

typedef STM_HEAP struct node { long x; } node_t;

STM_EXTERNAL void pool_submit(void (*fn)(void *), void *arg) __attribute__((callback(fn, arg)));
void own_submit(void (*fn)(void *), void *arg) __attribute__((callback(fn, arg)));

static void task(void *p) { ((node_t *)p)->x++; }
static void own_task(void *p) { ((node_t *)p)->x += 2; }
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

void go(node_t *n, int *v, int k)
{
    pool_submit(task, (void *)n);
    own_submit(own_task, (void *)n);
    qsort(v, k, sizeof *v, cmp);
}
