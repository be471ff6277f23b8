// A function declared in a system header is a library function (not compiled by stmc), so a
// heap pointer passed to it is an error.  When stmc knows it only from the system header (not
// as a C library function by name), the hint says that a library built with stmc belongs
// behind -I, not -isystem (CMake's imported targets use -isystem).  With -I it compiles.
// RUN: not %stmcc -O2 -c -isystem %S/Inputs/isystem %s -o %t.o 2>&1 | FileCheck %s
// RUN: %stmcc -O2 -c -I%S/Inputs/isystem %s -o %t.o
// CHECK: diag_isystem_library.c:[[@LINE+6]]:9: error: stmc: an STM heap pointer is passed to the library function 'queue_push', which stmc did not compile: it can neither reach the heap through %gs nor track the accesses (hint: it is declared in a system header; if it comes from a library built with stmc, include that library's header with -I, not -isystem)
#include <stmc_queue.h>

void push_one(struct queue STM_HEAP *q)
{
    STM_ATOMIC {
        queue_push(q, 1);
    }
}
