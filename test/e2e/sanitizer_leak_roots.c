// LeakSanitizer (AddressSanitizer's leak check) scans the STM heap: malloc'd blocks whose only
// pointers are kept in heap objects are not leaks.  Pointers stored in an atomic block, by
// another thread, outside blocks (an implicit transaction) and in a large object (whole pages)
// keep their blocks; blocks dropped everywhere are still reported: 24 bytes by the main thread
// and 40 by a worker.  Without the runtime's registration of the heap as a root region,
// LeakSanitizer reported the kept blocks too (48, 64, 80 and 96 bytes); with its runtime
// linked into the program (not shared, as stmcc links it), the worker's 40 bytes were not
// reported (its thread was unknown to it).  A leak found makes the program exit with 23.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O1 -g -fsanitize=address %s -o %t.asan
// RUN: not %run %t.asan 2>&1 | FileCheck %s
// RUN: %stmcc -O2 -fsanitize=address,undefined %s -o %t.O2
// RUN: not %run %t.O2 2>&1 | FileCheck %s
// CHECK: in a block / from a thread / outside blocks / in a large object
// CHECK-NOT: Direct leak of {{(48|64|80|96)}} byte
// CHECK: Direct leak of 40 byte(s) in 1 object(s)
// CHECK: Direct leak of 24 byte(s) in 1 object(s)
// CHECK-NOT: Direct leak
// CHECK: SUMMARY: AddressSanitizer: 64 byte(s) leaked in 2 allocation(s).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stmc.h>

typedef STM_HEAP struct rec {
    char *name; /* a plain pointer, to malloc'd memory */
    long n;
} rec_t;

static rec_t *R, *Big;

static char *text(size_t n, const char *s)
{
    char *p = malloc(n);
    strcpy(p, s);
    return p;
}

__attribute__((noinline)) static void leak(size_t n)
{
    volatile char *lost = malloc(n); /* no pointer to it is kept anywhere */
    lost[0] = 1;
}

static void *other_thread(void *arg)
{
    (void)arg;
    char *s = text(48, "from a thread");
    STM_ATOMIC { R[1].name = s; }
    leak(40);
    return NULL;
}

__attribute__((noinline)) static void scrub_stack(void)
{
    volatile char buf[4096]; /* old pointers in dead stack slots would hide leak(24)'s block */
    for (int i = 0; i < 4096; i++)
        buf[i] = 0;
}

int main(void)
{
    R = stm_alloc(4 * sizeof *R);
    Big = stm_alloc(200000);
    char *s = text(64, "in a block");
    STM_ATOMIC { R[0].name = s; }
    R[2].name = text(80, "outside blocks");
    char *u = text(96, "in a large object");
    STM_ATOMIC { Big[1000].name = u; }
    s = u = NULL;
    pthread_t t;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, NULL);
    leak(24);
    scrub_stack();
    STM_ATOMIC {
        printf("%s / %s / %s / %s\n", R[0].name, R[1].name, R[2].name, Big[1000].name);
    }
    fflush(stdout); /* a leak found ends the program without flushing */
    return 0;
}
