// A static initializer that makes an STM heap pointer out of an integer, a plain pointer or
// arithmetic on a null heap pointer, and a variable with static storage placed in the heap
// address space, are errors with file:line:col from the frontend, also with stmcc's default
// -gline-tables-only (the pass, which sees them too, knows a global's line only from full debug
// info: "error: x.c: global ..." without a line).  Null initializers are fine.
// RUN: not %stmcc -O0 -c %s -o %t.o 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %stmcc -O2 -g0 -c %s -o %t.o 2>&1 | FileCheck %s --implicit-check-not=error:
// CHECK-DAG: diag_static_initializer.c:[[@LINE+19]]:21: error: stmc: static initializer holds an STM heap pointer ('gp') (hint: heap pointers are offsets that exist only at run time
// CHECK-DAG: diag_static_initializer.c:[[@LINE+19]]:23: error: stmc: static initializer holds an STM heap pointer ('pair')
// CHECK-DAG: diag_static_initializer.c:[[@LINE+19]]:15: error: stmc: variable 'in_heap' placed in the STM heap address space (hint: STM heap objects come from stm_alloc()
// CHECK-DAG: diag_static_initializer.c:[[@LINE+24]]:26: error: stmc: variable 'local' placed in the STM heap address space
// CHECK-DAG: diag_static_initializer.c:[[@LINE+44]]:43: error: stmc: static initializer holds an STM heap pointer ('arith')
// CHECK-DAG: diag_static_initializer.c:[[@LINE+44]]:26: error: stmc: static initializer holds an STM heap pointer ('element')
// CHECK-DAG: diag_static_initializer.c:[[@LINE+44]]:25: error: stmc: static initializer holds an STM heap pointer ('member')
// CHECK-DAG: diag_static_initializer.c:[[@LINE+44]]:53: error: stmc: static initializer holds an STM heap pointer ('in_list')
// CHECK-DAG: diag_static_initializer.c:[[@LINE+48]]:60: error: stmc: static initializer holds an STM heap pointer ('local_arith')
// CHECK-DAG: diag_static_initializer.c:{{[0-9]+}}:{{[0-9]+}}: error: stmc: static initializer holds an STM heap pointer ('literal_array')
// CHECK: 10 errors generated.
// CHECK-NOT: PLEASE submit a bug report
#include <stmc.h>

struct two {
    long STM_HEAP *a, *b;
};
struct pt { long x, y; };

long STM_HEAP *gp = (long STM_HEAP *)4096;
struct two pair = {0, (long STM_HEAP *)(unsigned long)0x40000000};
long STM_HEAP in_heap;
long STM_HEAP *fine = 0;
struct two fine_too = {0, (long STM_HEAP *)0};

long f(void)
{
    static long STM_HEAP local;
    return 0;
}

/* Fine as well: a null pointer constant cast to a heap pointer (the pass took the address-space
 * cast of null for a heap pointer: "error: x.c: global 'q'"), and casts in unevaluated operands
 * (sizeof, _Generic's controlling expression), which make no pointer. */
#include <stddef.h>
static char buf[64];
long STM_HEAP *null_cast = (long STM_HEAP *)NULL;
long STM_HEAP *null_cast2 = (long STM_HEAP *)(void *)0;
const size_t size_of_cast = sizeof((long STM_HEAP *)buf);
const int generic_of_cast = _Generic((long STM_HEAP *)buf, long STM_HEAP *: 1, default: 2);
/* Arms not evaluated make no pointer either. */
const int choose_of_cast = __builtin_choose_expr(1, 7, (long STM_HEAP *)buf);
const int constant_p_of_cast = __builtin_constant_p((long STM_HEAP *)buf);
const int cond_of_cast = 1 ? 3 : (int)(long)(long STM_HEAP *)buf;

/* Arithmetic on a null heap pointer makes a non-null heap pointer: reported with its line too
 * (the pass reported these as "error: x.c: global 'arith'" without one).  An integer computed
 * from one (the offsetof idiom) and null plus zero are fine. */
long STM_HEAP *arith = (long STM_HEAP *)0 + 512;
long STM_HEAP *element = &((long STM_HEAP *)0)[3];
long STM_HEAP *member = &((struct pt STM_HEAP *)0)->y;
struct two in_list = {0, .b = (long STM_HEAP *)NULL + 2};
const size_t offset_of = (size_t)&((struct two STM_HEAP *)0)->b;
long STM_HEAP *null_plus_zero = (long STM_HEAP *)0 + 0;
long g(void)
{
    static long STM_HEAP *local_arith = (long STM_HEAP *)0 - 1;
    return local_arith == 0;
}

/* The offsetof idiom through an array member, which decays to a pointer to its first element
 * in the heap: an integer too (it was refused, the decay taken for a cast that makes a heap
 * pointer). */
struct with_array { long x; long y[4]; };
const size_t offset_of_element = (size_t)&((struct with_array STM_HEAP *)0)->y[2];
/* ... but a compound literal typed as a heap array is plain memory: its decay is refused. */
unsigned long literal_array = (unsigned long)(long STM_HEAP[]){1, 2};
