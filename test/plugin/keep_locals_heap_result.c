// A heap pointer returned by a call that was given a local's address (e = mk(vals)) is not a
// pointer to that local: the accesses through it are not the local's, are not made volatile to
// keep the local across a retry, and draw no "volatile access" warning (they did at -O1 and
// up: six false warnings in an interpreter's eval).
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// RUN: %stmcc -O1 -c %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: volatile access
#include <stmc.h>

typedef STM_HEAP struct obj Obj;
struct obj {
    long n;
    Obj *next;
};
Obj *mk(Obj **vals);
Obj *g(Obj *x);

Obj *f(Obj *x, int k)
{
    Obj *r = 0;
    for (int i = 0; i < k; i++) {
        Obj *vals[1];
        vals[0] = x;
        Obj *e = mk(vals);
        STM_ATOMIC { r = g(e); }
        x = e->next;
    }
    return r;
}
