// Negative test: without the plugin, clang's backend cannot lower a large struct copy in
// address space 256; with it (stmcc) the same file compiles.
// RUN: not %clang -O0 -c -I%stmc_include %s -o %t.o 2>&1 | FileCheck %s
// CHECK: cannot lower memory intrinsic in address space 256
// RUN: %stmcc -O0 -c %s -o %t.o
#include <stmc.h>
typedef struct { char b[4096]; } page_t;
void copy(page_t STM_HEAP *a, page_t STM_HEAP *b) { *a = *b; }
