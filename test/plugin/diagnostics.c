// Diagnostics through clang: file:line and a hint, and no backend crash.  (Static
// initializers and globals in the heap address space: diag_static_initializer.c.)
// RUN: %stmcc -O0 -c %s -o %t.o 2>&1 | FileCheck %s
// CHECK-DAG: {{.*}}diagnostics.c:[[@LINE+5]]{{.*}}warning: stmc: volatile access to the STM heap
// CHECK-DAG: {{.*}}diagnostics.c:[[@LINE+5]]{{.*}}warning: stmc: STM heap pointer cast to a plain pointer
// CHECK-NOT: PLEASE submit a bug report
#include <stmc.h>
long STM_HEAP *gp = 0;
long vol(volatile long STM_HEAP *p) { return *p; }
long *flat(long STM_HEAP *p) { return (long *)p; }
