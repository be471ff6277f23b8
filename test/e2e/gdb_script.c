// gdb on a program built with stmc (docs/api.md, "Debugging").  A heap pointer is an offset in
// a segment: gdb printed "Cannot access memory at address 0x40000020" for `print *n`.  Now:
// - started by gdb, the runtime maps the committed heap at the heap pointers' values (the
//   default STM_GDB_VIEW=2), so `print *n` and `n->next->next->key` show the committed state;
// - the script (stmcc --print-gdb-script) gives $stm(p), the selected thread's own view (its
//   transaction's uncommitted write, 99, where the committed value is 12), $stm_committed(p),
//   `info stm`, and errors for what is not a heap pointer;
// - with STM_GDB_VIEW=0 there is no view (gdb cannot read *n) and $stm(p) still works.
// A second thread stops inside its atomic block, after its write.
// REQUIRES: stmc-runtime, gdb
// RUN: %stmcc -O0 -g %s -o %t
// RUN: %run gdb -batch -nx -x `%stmcc --print-gdb-script` -ex 'break stop_here' -ex run \
// RUN:   -ex 'print *n' -ex 'print n->next->next->key' -ex 'print $stm(n)' \
// RUN:   -ex 'print $stm_committed(n).key' -ex 'info stm' -ex 'print $stm(42)' \
// RUN:   -ex 'print $stm((struct node *)16)' -ex 'print $stm((void *)n)' -ex 'thread 1' \
// RUN:   -ex 'print $stm(head).key' -ex kill %t 2>&1 | FileCheck %s
// RUN: %run gdb -batch -nx -x `%stmcc --print-gdb-script` -ex 'info stm' -ex 'print 1' %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOPROC
// RUN: %run gdb -batch -nx -x `%stmcc --print-gdb-script` -ex 'set environment STM_GDB_VIEW=0' \
// RUN:   -ex 'break stop_here' -ex run -ex 'print *n' -ex 'print $stm(n).key' -ex 'info stm' \
// RUN:   -ex kill %t 2>&1 | FileCheck %s --check-prefix=NOVIEW
// CHECK: Breakpoint 1, stop_here
// CHECK: $1 = {key = 12, next = 0x{{[0-9a-f]+}}}
// CHECK-NEXT: $2 = 10
// CHECK-NEXT: $3 = {key = 99, next = 0x{{[0-9a-f]+}}}
// CHECK-NEXT: $4 = 12
// CHECK-NEXT: stmc: {{[0-9]+}} segments; segment 0 (the committed heap) at 0x{{[0-9a-f]+}}
// CHECK-NEXT: heap pointers readable as plain addresses: yes
// CHECK-NEXT: this thread: segment {{[1-9][0-9]*}} at 0x{{[0-9a-f]+}}, in a transaction
// CHECK-NEXT: $stm: expects a heap pointer (STM_HEAP T *), got int
// CHECK-NEXT: $stm: 0x10 is not a heap pointer
// CHECK-NEXT: $stm: void * points to void: cast it to the object's type first
// CHECK: $5 = 12
// NOVIEW: Breakpoint 1, stop_here
// NOVIEW: Cannot access memory at address 0x{{[0-9a-f]+}}
// NOVIEW-NEXT: $1 = 99
// NOVIEW: heap pointers readable as plain addresses: no (STM_GDB_VIEW=1 maps it where its range is free)
// NOPROC: stmc: no process (run the program, or open a core file, first)
// NOVIEW-NEXT: this thread: segment {{[1-9][0-9]*}} at 0x{{[0-9a-f]+}}, in a transaction
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

struct node {
    long key;
    struct node STM_HEAP *next;
};
typedef struct node STM_HEAP *nodep;
static nodep head;

__attribute__((noinline)) void stop_here(nodep n)
{
    __asm__ volatile("" : : "r"(n) : "memory");
}

static void *writer(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        head->key = 99;
        stop_here(head);
    }
    return NULL;
}

int main(void)
{
    nodep list = 0;
    STM_ATOMIC {
        for (int i = 0; i < 3; i++) {
            nodep n = stm_alloc(sizeof *n);
            n->key = 10 + i;
            n->next = list;
            list = n;
        }
    }
    head = list;
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    pthread_join(t, NULL);
    printf("%ld\n", head->key);
    return 0;
}
