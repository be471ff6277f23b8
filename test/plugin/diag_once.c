// A diagnostic is given once for one source access, although the IR holds it several times:
// here in get() and in its read-only clone get.stmc.ro (which printed the warning twice).
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK: {{.*}}diag_once.c:[[@LINE+6]]:{{[0-9]+}}: warning: stmc: volatile access to the STM heap
// CHECK: 1 warning generated.
#include <stmc.h>
struct o {
    volatile int v;
};
int get(struct o STM_HEAP *p) { return p->v; }
int use(struct o STM_HEAP *p)
{
    int n = 0;
    STM_ATOMIC {
        n = get(p) + 1;
    }
    return n;
}
