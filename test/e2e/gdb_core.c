// Core dumps of stmc programs are of a useful size and readable with the gdb script.  A core
// held every heap mapping whole (STM_HEAP_MB each: segment 0's, each used segment's, the
// debugger's view) and gdb's gcore also the segments' reservation: 18 GB written in 60 s and
// not done, for a program with three heap objects (the kernel's core of a trivial abort: 4.1
// GB).  Now only the heap below twice its top is dumped (e2e/core_dump_filter.c); here gcore
// under a file-size limit of 300 MB (it wrote 107 MB, 64 of them a glibc arena of the thread;
// it reached the limit before), and the core read back: `print *head` (the view, in the core
// too) and `$stm(head)` (the stopped thread's uncommitted write).
// REQUIRES: stmc-runtime, gdb
// RUN: %stmcc -O0 -g %s -o %t
// RUN: rm -f %t.core
// RUN: env STM_SEGMENTS=4 STM_HEAP_MB=64 %run sh -c "ulimit -f 600000; gdb -batch -nx -ex 'break stop_here' \
// RUN:   -ex run -ex 'gcore %t.core' -ex kill %t" > %t.log 2>&1
// RUN: %run gdb -batch -nx -x `%stmcc --print-gdb-script` -ex 'print *head' \
// RUN:   -ex 'print $stm(head).key' -ex 'info stm' %t %t.core 2>&1 | FileCheck %s
// RUN: rm -f %t.core
// CHECK: $1 = {key = 12, next = 0x{{[0-9a-f]+}}}
// CHECK-NEXT: $2 = 99
// CHECK-NEXT: stmc: 4 segments
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

struct node {
    long key;
    struct node STM_HEAP *next;
};
typedef struct node STM_HEAP *nodep;
static nodep head;

__attribute__((noinline)) void stop_here(void)
{
    __asm__ volatile("" : : : "memory");
}

static void *writer(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        head->key = 99;
        stop_here();
    }
    return NULL;
}

int main(void)
{
    STM_ATOMIC {
        for (int i = 0; i < 3; i++) {
            nodep n = stm_alloc(sizeof *n);
            n->key = 10 + i;
            n->next = head;
            head = n;
        }
    }
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    pthread_join(t, NULL);
    printf("%ld\n", head->key);
    return 0;
}
