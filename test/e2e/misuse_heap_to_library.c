// Misuse: an STM heap string handed through "..." to a function stmc treats as not its own
// (STM_EXTERNAL), which hands it to the C library.  The plugin warns at the call (file:line;
// to a library function directly, such as printf's %s, it is an error: plugin/
// diag_library_call.c), and the program, when it runs, stops with a message that names the
// cause: the callee dereferenced the heap pointer without %gs.  Also with the debugger's view
// of the committed heap mapped at the heap pointers' values (STM_GDB_VIEW=1, e2e/gdb_view.c):
// it is PROT_NONE, so the program still faults there (readable, it printed "hi").
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: not --crash %run %t 2>&1 | FileCheck %s
// RUN: env STM_GDB_VIEW=1 not --crash %run %t 2>&1 | FileCheck %s
// WARN: misuse_heap_to_library.c:[[@LINE+23]]:{{[0-9]+}}: warning: stmc: an STM heap pointer is passed to 'show' as a variadic argument
// WARN-NOT: warning: {{.*}}stmc:
// CHECK: stmc: heap pointer 0x{{[0-9a-f]+}} dereferenced as a plain pointer, without %gs: by code stmc did not compile
// CHECK-NOT: UNREACHED
#include <stmc.h>
#include <stdarg.h>
#include <stdio.h>

STM_EXTERNAL void show(const char *fmt, ...);

void show(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

int main(void)
{
    char STM_HEAP *name = stm_alloc(8);
    STM_ATOMIC { name[0] = 'h'; name[1] = 'i'; }
    printf("%p\n", (void *)0);
    show("%s\n", name);
    printf("UNREACHED\n");
    return 0;
}
