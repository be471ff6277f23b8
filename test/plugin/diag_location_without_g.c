// The plugin's diagnostics name file:line also without debug information asked for: under
// -g0, and through clang -fplugin without -g (the plugin keeps locations in the IR without
// emitting debug information, as -Rpass does; before, such a diagnostic named only the
// function).  The -g0 object still has no debug sections.
// RUN: not %stmcc -O2 -g0 -c %s -o %t.o 2>&1 | FileCheck %s
// RUN: not %clang -O2 -fplugin=%stmc_plugin -I%stmc_include -c %s -o %t.o 2>&1 | FileCheck %s
// RUN: %stmcc -O2 -g0 -DCAST_ONLY -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: objdump -h %t.o | FileCheck %s --check-prefix=SECTIONS
// CHECK: {{.*}}diag_location_without_g.c:[[@LINE+13]]:{{[0-9]+}}: error: stmc: an STM heap pointer is passed to the library function 'strlen'
// WARN: {{.*}}diag_location_without_g.c:[[@LINE+14]]:{{[0-9]+}}: warning: stmc: STM heap pointer cast to a plain pointer
// SECTIONS: .text
// SECTIONS-NOT: .debug
#include <stdint.h>
#include <string.h>
#include <stmc.h>

typedef STM_HEAP struct name { char s[16]; } name_t;

uintptr_t f(name_t *n)
{
#ifndef CAST_ONLY
    return strlen(n->s);
#else
    return (uintptr_t)(char *)n->s;
#endif
}
