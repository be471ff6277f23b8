// A file that clang compiles without the plugin (left out of stmcc by mistake) would read and
// write heap data without barriers, its writes lost at the commit with no message: stmc.h
// warns then, unless the file says it uses the explicit barriers (STMC_EXPLICIT_BARRIERS).
// No warning through stmcc, through clang -fplugin alone (the plugin's attributes are how the
// header finds it), for the plain-C build, or with the macro.
// RUN: %clang -O2 -c -I%stmc_include %s -o %t.o 2>&1 | FileCheck %s
// RUN: %clang -x c++ -O2 -fsyntax-only -I%stmc_include %s 2>&1 | FileCheck %s
// CHECK: stmc.h:{{[0-9]+}}:{{[0-9]+}}: warning: stmc.h: this file is compiled without the stmc plugin (compile it with stmcc): its reads and writes of STM_HEAP data would bypass the STM barriers, and its writes be lost.
// RUN: %clang -O2 -Werror -c -I%stmc_include -DSTMC_EXPLICIT_BARRIERS %s -o %t.o
// RUN: %clang -O2 -Werror -c -I%stmc_include -DSTMC_NO_STM %s -o %t.o
// RUN: %stmcc -O2 -Werror -c %s -o %t.o
// RUN: %clang -O2 -Werror -fplugin=%stmc_plugin -c -I%stmc_include %s -o %t.o
#include <stmc.h>

struct counter {
    long n;
};

void bump(struct counter STM_HEAP *c)
{
    c->n++;
}
