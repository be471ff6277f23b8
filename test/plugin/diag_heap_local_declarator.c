// `long STM_HEAP *a, STM_HEAP *b` in a function: STM_HEAP qualifies the pointee, as const does,
// so the second one qualifies b itself, and clang refuses the local ("automatic variable
// qualified with an address space") without saying why (a user's port met it; `--no-stm`
// accepts it).  stmc adds a warning with the cause and the fix at the same line and column.
// Locals declared one per line, parameters and a typedef of the pointer type draw nothing.
// RUN: not %stmcc -O0 -c %s -o %t.o 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=error:
// RUN: %stmcc --no-stm -O0 -c %s -o %t.o
// CHECK: diag_heap_local_declarator.c:[[@LINE+11]]:37: error: automatic variable qualified with an address space
// CHECK: diag_heap_local_declarator.c:[[@LINE+10]]:37: warning: stmc: STM_HEAP qualifies what a pointer points to, as const does, so in 'long STM_HEAP *a, STM_HEAP *b' the second one qualifies 'y' itself (hint: declare one pointer per line, or use a typedef of the pointer type)
// CHECK: 1 warning and 1 error generated.
#include <stmc.h>

typedef long STM_HEAP *lptr;

long f(long STM_HEAP *p, long STM_HEAP *q)
{
    lptr a = p, b = q;
    long STM_HEAP *c = p;
    long STM_HEAP *x = p, STM_HEAP *y = q;
    return *a + *b + *c + *x + *y;
}
