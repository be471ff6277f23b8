// Diagnostics through clang: file:line and a hint, and no backend crash.
// RUN: not %stmcc -O0 -c %s -o %t.o 2>&1 | FileCheck %s
// CHECK-DAG: error: {{.*}}diagnostics.c{{.*}}stmc: static initializer holds an STM heap pointer ('gp')
// CHECK-DAG: warning: {{.*}}diagnostics.c{{.*}}stmc: volatile access to the STM heap
// CHECK-DAG: warning: {{.*}}diagnostics.c{{.*}}stmc: STM heap pointer cast to a plain pointer
// CHECK-NOT: PLEASE submit a bug report
#include <stmc.h>
long STM_HEAP *gp = (long STM_HEAP *)4096;
long vol(volatile long STM_HEAP *p) { return *p; }
long *flat(long STM_HEAP *p) { return (long *)p; }
