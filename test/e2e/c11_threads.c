// Threads made by C11 thrd_create are stmc threads like pthread_create's: each starts on a
// segment of its own and gives it back at exit, and thrd_join gives the joiner's segment back
// while it waits.  glibc's thrd_create calls its internal pthread_create, around stmc's
// wrapper; before it was interposed too, such a thread ran on its creator's segment (the kernel
// copies %gs): "dirty" read the creator's uncommitted 42 (5 of 5 runs); "sequential" hung after
// a few threads (their segments never given back); "implicit" hung (the thread's implicit
// transaction kept the inevitable token after it exited).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t dirty | FileCheck --check-prefix=DIRTY %s
// RUN: env STM_SEGMENTS=2 %run %t sequential | FileCheck --check-prefix=SEQ %s
// RUN: %run %t sequential | FileCheck --check-prefix=SEQ %s
// RUN: %run %t implicit | FileCheck --check-prefix=IMPL %s
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t0 dirty | FileCheck --check-prefix=DIRTY %s
// RUN: env STM_SEGMENTS=2 %run %t0 sequential | FileCheck --check-prefix=SEQ %s
// DIRTY: child saw committed value
// SEQ: sequential: 12 threads, n=12
// IMPL: implicit: n=5 rc=3
#include <stmc.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

struct box { long n; };
static struct box STM_HEAP *g;
static long seen = -1;
static int go;

static int dirty_child(void *a)
{
    (void)a;
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    long v = g->n; /* outside blocks: a committed value, 0 or 7 */
    __atomic_store_n(&seen, v, __ATOMIC_RELEASE);
    return 0;
}

static int bump(void *a)
{
    (void)a;
    STM_ATOMIC { g->n++; }
    return 0;
}

static int write_and_return(void *a)
{
    (void)a;
    g->n = 5; /* an implicit transaction, ended at thread exit */
    return 3;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "dirty";
    g = stm_alloc(sizeof *g);
    thrd_t t;
    if (!strcmp(mode, "dirty")) {
        thrd_create(&t, dirty_child, NULL);
        STM_ATOMIC {
            g->n = 42; /* overwritten before the commit: nobody may see it */
            __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
            for (long i = 0; i < 4000000000L && __atomic_load_n(&seen, __ATOMIC_ACQUIRE) == -1; i++)
                ;
            g->n = 7;
        }
        thrd_join(t, NULL);
        printf("child saw %s (%ld)\n", seen == 0 || seen == 7 ? "committed value" : "UNCOMMITTED", seen);
        return 0;
    }
    if (!strcmp(mode, "sequential")) {
        for (int i = 0; i < 12; i++) {
            thrd_create(&t, bump, NULL);
            thrd_join(t, NULL);
        }
        long n;
        STM_ATOMIC { n = g->n; }
        printf("sequential: 12 threads, n=%ld\n", n);
        return 0;
    }
    int rc = 0;
    thrd_create(&t, write_and_return, NULL);
    thrd_join(t, &rc);
    long n;
    STM_ATOMIC { n = g->n; }
    printf("implicit: n=%ld rc=%d\n", n, rc);
    return 0;
}
