// -save-temps runs the optimiser on IR, where only -fpass-plugin (which stmcc passes) loads
// the pass: the object still has barriers.
// RUN: rm -rf %t.dir && mkdir -p %t.dir && cd %t.dir
// RUN: %stmcc -O2 -save-temps -c %s -o st.o 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: llvm-nm st.o | FileCheck %s
// RUN: %stmcc -O0 -save-temps -c %s -o st0.o
// RUN: llvm-nm st0.o | FileCheck %s
// CHECK-DAG: U _stm_abi_v6
// CHECK-DAG: U _stm_read_slow
// CHECK-DAG: U _stm_memcpy_hh
// The barriers are inserted in the step after the frontend's, which does not know the system
// headers' functions: said once.
// WARN: warning: stmc: with -save-temps (or -disable-llvm-passes) the barriers are inserted in a later step
#include <stmc.h>
typedef struct { char b[4096]; } page_t;
long get(long STM_HEAP *p) { return *p; }
void copy(page_t STM_HEAP *a, page_t STM_HEAP *b) { *a = *b; }
