// Atomic operations and fences order heap accesses made outside atomic blocks, as they order
// plain memory (the plugin ends the implicit transaction at each one: _stm_sync), and two
// threads outside blocks get the inevitable token in turn.
//   message:  A writes g->data outside blocks, then releases a flag in plain memory; the
//             main thread acquires it and must read the data (before: 0, the write still in
//             A's running implicit transaction).  Then the reverse: a reader outside blocks
//             that touched the heap before it acquires the flag reads the new data.
//   flag:     A stores a heap flag (_Atomic) outside blocks and spins on a heap answer that B
//             gives after it sees the flag in read-only blocks (before: hung, 5 of 5).
//   pingpong: two threads outside blocks pass a turn 1000 times through a heap field (before:
//             stalled in about half of the runs).  With -stmc-sync-atomics=0 it relies on the
//             token hand-over alone: a thread that let the token go at a safe point lets the
//             waiting one take it first.
// A watchdog ends a stalled run after 20 s with "stalled".
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %stmcc -O0 %s -o %t0
// RUN: %stmcc -O2 -mllvm -stmc-sync-atomics=0 %s -o %t.nosync
// RUN: %run %t message | FileCheck --check-prefix=MSG %s
// RUN: %run %t0 message | FileCheck --check-prefix=MSG %s
// RUN: %run %t flag | FileCheck --check-prefix=FLAG %s
// RUN: %run %t0 flag | FileCheck --check-prefix=FLAG %s
// RUN: %run %t pingpong | FileCheck --check-prefix=PP %s
// RUN: %run %t.nosync pingpong | FileCheck --check-prefix=PP %s
// RUN: env STM_STATS=1 %run %t message 2>&1 | FileCheck --check-prefix=STATS %s
// MSG: released: data=1
// MSG-NEXT: acquired: data=2
// FLAG: flag: answered
// PP: pingpong: 2000 turns
// STATS: implicit_syncs {{[1-9]}}
#include <stmc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct box { long data; _Atomic int flag, answer, turn; };
static struct box STM_HEAP *g;
static _Atomic int ready, ready2;

static void *watchdog(void *arg)
{
    (void)arg;
    sleep(20);
    printf("stalled\n");
    fflush(stdout);
    _Exit(1);
}

static void *writer(void *arg)
{
    (void)arg;
    g->data = 1;                                          /* an implicit transaction */
    atomic_store_explicit(&ready, 1, memory_order_release); /* plain memory */
    while (!atomic_load_explicit(&ready2, memory_order_acquire))
        ;
    STM_ATOMIC { g->data = 2; }
    atomic_store_explicit(&ready2, 2, memory_order_release);
    return NULL;
}

static void *flag_setter(void *arg)
{
    (void)arg;
    atomic_store(&g->flag, 1);
    while (!atomic_load(&g->answer))
        ;
    return NULL;
}

static void *flag_answerer(void *arg)
{
    (void)arg;
    int f = 0;
    do {
        STM_ATOMIC { f = atomic_load(&g->flag); }
    } while (!f);
    STM_ATOMIC { atomic_store(&g->answer, 1); }
    return NULL;
}

static _Atomic long turns;

static void *player(void *arg)
{
    int me = (int)(long)arg;
    for (int i = 0; i < 1000; i++) {
        while (atomic_load(&g->turn) != me)
            ;
        atomic_store(&g->turn, 1 - me);
        atomic_fetch_add(&turns, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "message";
    g = stm_alloc(sizeof *g);
    pthread_t w, a, b;
    pthread_create(&w, NULL, watchdog, NULL);
    if (!strcmp(mode, "message")) {
        pthread_create(&a, NULL, writer, NULL);
        while (!atomic_load_explicit(&ready, memory_order_acquire))
            ;
        long d;
        STM_ATOMIC { d = g->data; }
        printf("released: data=%ld\n", d);
        long before = g->data; /* this thread's own implicit transaction, before the flag */
        atomic_store_explicit(&ready2, 1, memory_order_release);
        while (atomic_load_explicit(&ready2, memory_order_acquire) != 2)
            ;
        d = g->data;
        printf("acquired: data=%ld (before %ld)\n", d, before);
        pthread_join(a, NULL);
    } else if (!strcmp(mode, "flag")) {
        pthread_create(&a, NULL, flag_setter, NULL);
        pthread_create(&b, NULL, flag_answerer, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        printf("flag: answered\n");
    } else {
        pthread_create(&a, NULL, player, (void *)0L);
        pthread_create(&b, NULL, player, (void *)1L);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        printf("pingpong: %ld turns\n", (long)atomic_load(&turns));
    }
    return 0;
}
