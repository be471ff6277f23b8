// An OpenMP parallel region, barrier or ordered region inside an atomic block is an error
// with file:line (a taskwait a warning: it returns when this thread runs the tasks itself), at
// -O0 and -O2: the block is inevitable from the OpenMP call on (an external call), so it holds
// the token that the team's other threads need for heap code outside blocks, while it waits
// for them (the region's join, the barrier; a worksharing loop ends with a barrier).  Before,
// the program hung after the runtime's "waited 1 s for an inevitable atomic block" warning.
// A region whose threads each run their own blocks, and a worksharing loop with nowait inside
// a block, are fine.
// REQUIRES: openmp
// RUN: not %stmcc -O0 -fopenmp -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %stmcc -O2 -fopenmp -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: %stmcc -O2 -fopenmp -c -DONLY_FINE %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=FINE --allow-empty
// CHECK-DAG: {{.*}}diag_openmp_in_block.c:[[@LINE+17]]:{{[0-9]+}}: error: stmc: an OpenMP parallel region inside an atomic block
// CHECK-DAG: {{.*}}diag_openmp_in_block.c:[[@LINE+26]]:{{[0-9]+}}: error: stmc: an OpenMP barrier inside an atomic block
// CHECK-DAG: {{.*}}diag_openmp_in_block.c:[[@LINE+33]]:{{[0-9]+}}: error: stmc: an OpenMP barrier inside an atomic block
// CHECK-DAG: {{.*}}diag_openmp_in_block.c:[[@LINE+43]]:{{[0-9]+}}: error: stmc: an OpenMP ordered region inside an atomic block
// CHECK-DAG: {{.*}}diag_openmp_in_block.c:[[@LINE+52]]:{{[0-9]+}}: warning: stmc: an OpenMP taskwait inside an atomic block
// CHECK: 4 errors generated.
// FINE-NOT: error:
// FINE-NOT: warning:
#include <stmc.h>
#include <omp.h>

typedef STM_HEAP struct acc { long x; long a[64]; } acc_t;

#ifndef ONLY_FINE
void region_in_block(acc_t *s)
{
    STM_ATOMIC {
#pragma omp parallel
        { s->a[omp_get_thread_num()] = 1; }
    }
}

void barrier_in_block(acc_t *s)
{
#pragma omp parallel
    STM_ATOMIC {
        s->x++;
#pragma omp barrier
    }
}

void loop_in_block(acc_t *s)
{
#pragma omp parallel
    STM_ATOMIC {
#pragma omp for
        for (int i = 0; i < 64; i++)
            s->a[i]++;
    }
}

void ordered_in_block(acc_t *s)
{
#pragma omp parallel for ordered
    for (int i = 0; i < 64; i++)
        STM_ATOMIC {
#pragma omp ordered
            { s->a[i] = s->x++; }
        }
}

void taskwait_in_block(acc_t *s)
{
    STM_ATOMIC {
#pragma omp task
        { s->x++; }
#pragma omp taskwait
    }
}
#endif

void fine(acc_t *s)
{
#pragma omp parallel
    {
        STM_ATOMIC { s->x++; }
#pragma omp barrier
        STM_ATOMIC {
#pragma omp for nowait
            for (int i = 0; i < 64; i++)
                s->a[i]++;
        }
    }
}
