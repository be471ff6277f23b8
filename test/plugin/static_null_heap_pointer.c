// A static initializer that is a null heap pointer spelled as a cast, (T STM_HEAP *)NULL or
// (T STM_HEAP *)(void *)0, in a global, a static and a struct: the pass folds the address-space
// cast of null to the heap's null.  Before, the backend crashed ("error in backend: Unsupported
// expression in static initializer: addrspacecast (ptr null to ptr addrspace(256))") at -O0, and
// at -O2 for the external global.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t0 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2
// RUN: %run %t2 | FileCheck %s
// CHECK: nulls 1 1 1 1
// CHECK-NOT: PLEASE submit a bug report
#include <stddef.h>
#include <stdio.h>
#include <stmc.h>

typedef struct node { long v; struct node STM_HEAP *next; } node_t;
struct pair { int tag; node_t STM_HEAP *a, *b; };

node_t STM_HEAP *head = (node_t STM_HEAP *)NULL;
static node_t STM_HEAP *tail = (node_t STM_HEAP *)(void *)0;
struct pair pair = {1, (node_t STM_HEAP *)NULL, 0};

int main(void)
{
    static node_t STM_HEAP *local = (node_t STM_HEAP *)NULL;
    printf("nulls %d %d %d %d\n", head == NULL, tail == NULL, pair.a == NULL && pair.b == NULL,
           local == NULL);
    return 0;
}
