// The format of a library call decides whether a heap pointer passed through "..." is only
// printed (%p, fine) or dereferenced (an error): glibc's %m takes no argument, so in
// "%m %p %s" the heap pointer is the %s; scanf's %p stores through its argument, as all its
// conversions do.  Both compiled silently before and faulted at run time.
// RUN: not %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// CHECK-DAG: {{.*}}diag_vararg_formats.c:[[@LINE+13]]:{{[0-9]+}}: error: stmc: an STM heap pointer is passed to the library function '{{(__isoc99_)?}}sscanf' as a variadic argument
// CHECK-DAG: {{.*}}diag_vararg_formats.c:[[@LINE+13]]:{{[0-9]+}}: error: stmc: an STM heap pointer is passed to the library function 'printf' as a variadic argument
// CHECK: 2 errors generated.
#include <stdio.h>
#include <stmc.h>

struct rec {
    void *slot;
    char name[16];
};

void f(struct rec STM_HEAP *r)
{
    sscanf("0x1234", "%p", &r->slot);
    printf("%m %p %s\n", (void *)0, r->name);
    printf("%m %p\n", (void STM_HEAP *)r); /* only printed: fine */
}
