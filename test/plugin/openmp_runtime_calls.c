// OpenMP (clang's libomp): the runtime's entry points (__kmpc_*) are declared by clang's code
// generation, in no header, and were taken for functions that stmc compiled: a thread waited
// in __kmpc_barrier or __kmpc_critical still holding its implicit transaction (the token the
// others needed: 200 ms a parallel region, a hang with OMP_WAIT_POLICY=active), and `omp
// critical` in an atomic block took its lock in an attempt that then rolled back and waited
// for the lock it held.  Now they are external calls (wrapped: the implicit transaction ends,
// an atomic block becomes inevitable), except __kmpc_global_thread_num (pure); and the
// outlined functions that the OpenMP runtime calls (a parallel region's, a task's entry) end
// their implicit transaction before they return into it.  A heap pointer among
// __kmpc_fork_call's variadic arguments (firstprivate) goes to the outlined function: no
// warning.  The calls that wait for other threads (critical, barrier; the outlined functions'
// returns into libomp's join) use _stm_external_wait, which parks the segment for a thread
// that waits for one (-stmc-wait-release=0: _stm_external_enter).  (test
// e2e/openmp_outside_blocks.c runs such programs)
// REQUIRES: openmp
// RUN: %stmcc -O0 -fopenmp -S -emit-llvm %s -o %t0.ll 2>&1 | FileCheck %s --check-prefix=DIAG --allow-empty
// RUN: %stmcc -O2 -fopenmp -S -emit-llvm %s -o %t2.ll 2>&1 | FileCheck %s --check-prefix=DIAG --allow-empty
// RUN: grep -B1 -A1 "call void @__kmpc_barrier\|call void @__kmpc_critical\|call void @__kmpc_end_critical" %t0.ll | FileCheck %s --check-prefix=WRAPPED
// RUN: grep -B1 -A1 "call void @__kmpc_barrier\|call void @__kmpc_critical\|call void @__kmpc_end_critical" %t2.ll | FileCheck %s --check-prefix=WRAPPED
// RUN: awk -f %S/Inputs/returns_after.awk -v fn='^@run[.]omp_outlined|^@[.]omp_task_entry[.]' %t0.ll | FileCheck %s --check-prefix=RET
// RUN: awk -f %S/Inputs/returns_after.awk -v fn='^@run[.]omp_outlined|^@[.]omp_task_entry[.]' %t2.ll | FileCheck %s --check-prefix=RET
// RUN: grep -B1 "call i32 @__kmpc_global_thread_num" %t0.ll | FileCheck %s --check-prefix=PURE
// RUN: %stmcc -O2 -fopenmp -mllvm -stmc-report -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// DIAG-NOT: warning
// DIAG-NOT: error
// WRAPPED:      call void @_stm_external_wait(
// WRAPPED-NEXT: call void @__kmpc_critical(
// WRAPPED-NEXT: call void @_stm_external_leave(
// WRAPPED:      call void @_stm_external_enter(
// WRAPPED-NEXT: call void @__kmpc_end_critical(
// WRAPPED-NEXT: call void @_stm_external_leave(
// WRAPPED:      call void @_stm_external_wait(
// WRAPPED-NEXT: call void @__kmpc_barrier(
// WRAPPED-NEXT: call void @_stm_external_leave(
// RET:     @run.omp_outlined: ret after _stm_external_wait
// RET:     @run.omp_outlined.1: ret after _stm_external_wait
// RET:     @.omp_task_entry.: ret after _stm_external_wait
// RET-NOT: without
// PURE-NOT: _stm_external_enter
// PURE:     call i32 @__kmpc_global_thread_num(
// PURE-NOT: _stm_external_enter
// REPORT: external calls wrapped {{[1-9][0-9]*}} (returns from callbacks into such code {{[1-9][0-9]*}}; waiting for other threads {{[1-9][0-9]*}})
// RUN: %stmcc -O2 -fopenmp -mllvm -stmc-wait-release=0 -S -emit-llvm %s -o %toff.ll
// RUN: grep -B1 "call void @__kmpc_critical(" %toff.ll | FileCheck %s --check-prefix=OFF
// OFF: call void @_stm_external_enter(
#include <stmc.h>
#include <omp.h>

typedef STM_HEAP struct acc { long x, y; } acc_t;

long run(long STM_HEAP *a, acc_t *s, int n)
{
#pragma omp parallel for firstprivate(a)
    for (int i = 0; i < n; i++)
        a[i] = i;
#pragma omp parallel
    {
#pragma omp critical
        { s->x++; }
#pragma omp barrier
        STM_ATOMIC { s->y += a[omp_get_thread_num()]; }
#pragma omp single
        for (int i = 0; i < n; i++) {
#pragma omp task firstprivate(i)
            STM_ATOMIC { a[i] += 1; }
        }
    }
    return s->x + s->y;
}

/* an orphaned critical (outside any parallel region here): clang asks for the thread number */
void count(acc_t *s)
{
#pragma omp critical
    { s->x++; }
}
