// A heap pointer passed where a function takes a plain pointer: for a library function that
// clang knows as a builtin (strlen, fwrite) clang lets the call through and the pass stops
// it with its own error (plugin/diag_library_call.c); for any other (write, fputs, puts,
// strnlen, qsort, a function of the program's own) clang refuses the conversion itself
// ("changes address space of pointer"), and stmc adds a warning at the same place (after
// clang's errors: the plugin looks at the whole file) that says why and what to do (a user's
// port met clang's words alone).  --no-stm accepts the heap arguments.  Not for a plain pointer kept in a
// heap struct, or a heap struct passed by value, in a call that clang refuses for another
// reason (a review found the warning there, wrong): clang's error alone.
// RUN: not %stmcc -O0 -c %s -o %t.o 2>&1 | FileCheck %s --implicit-check-not=warning: --implicit-check-not=error:
// RUN: %stmcc --no-stm -O0 -DONLY_HEAP_ARGS -c %s -o %t.o
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+27]]:18: error: passing 'double' to parameter of incompatible type 'char *'
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+27]]:10: error: passing 'rec_t'
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+32]]:14: error: passing '__attribute__((address_space(256))) char *' to parameter of type 'const void *' changes address space of pointer
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+32]]:11: error: passing
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+32]]:11: error: passing
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+32]]:21: error: passing
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+28]]:14: warning: stmc: an STM heap pointer is passed to the library function 'write', which stmc did not compile: it can neither reach the heap through %gs nor track the accesses (hint: copy the data to plain memory first (memcpy from the STM_HEAP pointer is instrumented), or compare/scan the heap data in your own code)
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+28]]:11: warning: stmc: an STM heap pointer is passed to the library function 'fputs'
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+28]]:11: warning: stmc: an STM heap pointer is passed to the library function 'qsort'
// CHECK: diag_heap_arg_not_builtin.c:[[@LINE+28]]:21: warning: stmc: an STM heap pointer is passed to 'checksum', whose parameter is a plain pointer (hint: declare the parameter's pointee STM_HEAP, or copy the data to plain memory first)
// CHECK: 4 warnings and 6 errors generated.
#include <stmc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef STM_HEAP struct item { char key[16]; long v[4]; } item_t;
long checksum(const char *p, int n);
static int cmp(const void *a, const void *b) { return *(const long *)a < *(const long *)b; }

typedef STM_HEAP struct rec { char *name; } rec_t;
void two(char *a, char *b);
void take(const char *p);

#ifndef ONLY_HEAP_ARGS /* (errors in any build) */
void g(rec_t *r)
{
    two(r->name, 2.5);
    take(*r);
}
#endif

long f(item_t *it)
{
    write(1, it->key, 4);
    fputs(it->key, stdout);
    qsort(it->v, 4, sizeof(long), cmp);
    return checksum(it->key, 16);
}
