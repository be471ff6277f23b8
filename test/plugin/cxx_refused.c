// C++ is refused with a clear error, through stmcc and through clang++ -fplugin: an aborted
// attempt restarts its block by longjmp (skipping destructors) and an exception leaving a block
// would commit it. The same source compiles as C.
// RUN: not %stmcc -x c++ -O2 -c %s -o %t.o 2>&1 | FileCheck %s
// RUN: not %clang -x c++ -O0 -fplugin=%stmc_plugin -I%stmc_include -c %s -o %t.o 2>&1 | FileCheck %s
// RUN: %stmcc -O2 -c %s -o %t.o 2>&1 | FileCheck --allow-empty --check-prefix=C %s
// CHECK: error: stmc instruments C only: C++ is not supported
// CHECK-NOT: PLEASE submit a bug report
// C-NOT: error
#include <stmc.h>
struct counter { long n; };
long bump(struct counter STM_HEAP *c)
{
    long n;
    STM_ATOMIC { n = ++c->n; }
    return n;
}
