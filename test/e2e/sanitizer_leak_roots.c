// LeakSanitizer (ASan's leak check, and -fsanitize=leak alone) scans the STM heap: malloc'd
// blocks whose only pointers are kept in heap objects are not leaks.  Pointers stored in an
// atomic block, by another thread, outside blocks (an implicit transaction) and in a large
// object (whole pages) keep their blocks; a block dropped everywhere is still reported (the
// 24 bytes of leak_one), so the check is on.  Without the runtime's registration of the heap
// as a root region, LeakSanitizer reported all five blocks (24, 48, 64, 80 and 96 bytes).
// A leak found makes the program exit with 23: hence `not`.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O1 -g -fsanitize=address %s -o %t.asan
// RUN: not %run %t.asan 2>&1 | FileCheck %s --check-prefixes=CHECK,ASAN
// RUN: %stmcc -O2 -fsanitize=leak %s -o %t.lsan
// RUN: not %run %t.lsan 2>&1 | FileCheck %s --check-prefixes=CHECK,LSAN
// CHECK: in a block / from a thread / outside blocks / in a large object
// CHECK-NOT: Direct leak of {{(48|64|80|96)}} byte
// CHECK: Direct leak of 24 byte(s) in 1 object(s)
// CHECK-NOT: Direct leak
// ASAN: SUMMARY: AddressSanitizer: 24 byte(s) leaked in 1 allocation(s).
// LSAN: SUMMARY: LeakSanitizer: 24 byte(s) leaked in 1 allocation(s).
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

static void *other_thread(void *arg)
{
    (void)arg;
    char *s = text(48, "from a thread");
    STM_ATOMIC { R[1].name = s; }
    return NULL;
}

__attribute__((noinline)) static void leak_one(void)
{
    volatile char *lost = malloc(24); /* no pointer to it is kept anywhere */
    lost[0] = 1;
}

__attribute__((noinline)) static void scrub_stack(void)
{
    volatile char buf[4096]; /* old pointers in dead stack slots would hide leak_one's block */
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
    leak_one();
    scrub_stack();
    STM_ATOMIC {
        printf("%s / %s / %s / %s\n", R[0].name, R[1].name, R[2].name, Big[1000].name);
    }
    fflush(stdout); /* a leak found ends the program without flushing */
    return 0;
}
