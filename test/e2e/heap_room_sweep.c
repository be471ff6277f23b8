// A heap whose free memory sits in another segment's free lists of small objects.  The main
// thread fills 12 MiB of a 16 MiB heap with 1 KiB objects and frees them all; its commits
// take the frees back into its own segment's lists.  A second thread then allocates the same
// 12 MiB in objects of another size (or of the same one).  Before, it stopped "heap exhausted"
// at once: the objects stayed in the first segment's lists and their chunks held 1 KiB
// objects for good.  Now an allocation out of room gathers every segment's free lists into
// the pool (a segment whose thread runs gives them at its next transaction's end; one that no
// thread holds, under the lock) and gives chunks whose objects are all free back to the page
// allocator (counters room_sweeps, room_gives, chunks_released).
// "held": the main thread keeps its segment, running atomic blocks until the second one is
// done; "released": it waits in pthread_join (its segment given back) once the second thread
// holds a segment of its own.  STM_NO_ROOM_SWEEP=1: heap exhausted, as before.  "partial": the main thread allocates one object
// of each of 100 sizes (16 to 1,600 bytes) and frees them: 100 chunks of 64 KiB, each with
// one object handed out; the rest of each chunk now goes to the pool as free objects too, so
// the chunks go back whole (before, 6.25 MiB stayed held and 12 MiB of 8 KiB objects did not
// fit).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: env STM_HEAP_MB=16 %run %t held 2048 | FileCheck %s --check-prefixes=CHECK,C2K
// RUN: env STM_HEAP_MB=16 %run %t held 8192 | FileCheck %s --check-prefixes=CHECK,C8K
// RUN: env STM_HEAP_MB=16 %run %t held 1024 | FileCheck %s --check-prefixes=CHECK,C1K
// RUN: env STM_HEAP_MB=16 %run %t released 512 | FileCheck %s --check-prefixes=CHECK,C512
// RUN: env STM_HEAP_MB=16 %run %t released 4096 | FileCheck %s --check-prefixes=CHECK,C4K
// RUN: env STM_HEAP_MB=16 STM_NO_FREE_POOL=1 %run %t held 1024 | FileCheck %s --check-prefixes=CHECK,C1K
// RUN: env STM_HEAP_MB=16 %run %t partial 8192 | FileCheck %s --check-prefixes=CHECK,C8K
// RUN: not --crash env STM_HEAP_MB=16 STM_NO_ROOM_SWEEP=1 %run %t held 2048 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: not --crash env STM_HEAP_MB=16 STM_NO_ROOM_SWEEP=1 %run %t held 1024 2>&1 | FileCheck %s --check-prefix=OFF
// C2K: second thread: 6144 objects of 2048 bytes
// C8K: second thread: 1536 objects of 8192 bytes
// C1K: second thread: 12288 objects of 1024 bytes
// C512: second thread: 24576 objects of 512 bytes
// C4K: second thread: 3072 objects of 4096 bytes
// CHECK: values ok, room sweeps: yes, chunks released or objects given: yes
// OFF: stmc: heap exhausted
#include <stmc.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 12288 /* objects of 1 KiB: 12 MiB */

struct obj {
    long v[128];
};
static struct obj STM_HEAP *STM_HEAP *slots;
static long STM_HEAP *tick; /* what the waiting blocks write */
static long size, count;
static int second_has_segment, second_done, main_back;
static long bad;

static void *second(void *arg)
{
    (void)arg;
    /* main parked its segment at pthread_create (STM_NO_CREATE_PARK): wait until it took it
     * back, so that this thread's first access takes a segment of its own */
    while (!__atomic_load_n(&main_back, __ATOMIC_SEQ_CST))
        sched_yield();
    STM_ATOMIC { *tick += 1; } /* takes a segment of its own */
    __atomic_store_n(&second_has_segment, 1, __ATOMIC_SEQ_CST);
    for (long i = 0; i < count; i++) {
        STM_ATOMIC {
            struct obj STM_HEAP *o = stm_alloc((size_t)size);
            o->v[0] = i;
            o->v[size / (long)sizeof(long) - 1] = -i;
            slots[i] = o;
        }
    }
    for (long i = 0; i < count; i++)
        bad += slots[i]->v[0] != i || slots[i]->v[size / (long)sizeof(long) - 1] != -i;
    printf("second thread: %ld objects of %ld bytes\n", count, size);
    __atomic_store_n(&second_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void fill_and_free(void)
{
    for (long i = 0; i < N; i += 64)
        STM_ATOMIC {
            for (long j = i; j < i + 64; j++)
                slots[j] = stm_alloc(sizeof(struct obj));
        }
    for (long i = 0; i < N; i += 64)
        STM_ATOMIC {
            for (long j = i; j < i + 64; j++) {
                stm_free(slots[j]);
                slots[j] = NULL;
            }
        }
    for (int i = 0; i < 100; i++) /* commits that take the frees back into this segment */
        STM_ATOMIC { *tick += 1; }
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    int held = !strcmp(argv[1], "held");
    size = atol(argv[2]);
    count = N * 1024l / size;
    long slots_n = count > N ? count : N;
    STM_ATOMIC {
        slots = stm_alloc((size_t)slots_n * sizeof *slots);
        tick = stm_alloc(sizeof *tick);
    }
    if (!strcmp(argv[1], "partial")) {
        STM_ATOMIC {
            for (long k = 1; k <= 100; k++)
                slots[k] = stm_alloc((size_t)k * 16);
        }
        STM_ATOMIC {
            for (long k = 1; k <= 100; k++) {
                stm_free(slots[k]);
                slots[k] = NULL;
            }
        }
        for (int i = 0; i < 100; i++)
            STM_ATOMIC { *tick += 1; }
        held = 1;
    } else {
        fill_and_free();
    }
    struct stm_stats s0, s1;
    stm_stats_get(&s0);
    pthread_t t;
    pthread_create(&t, NULL, second, NULL);
    STM_ATOMIC { *tick += 1; } /* main's segment again */
    __atomic_store_n(&main_back, 1, __ATOMIC_SEQ_CST);
    if (held) {
        long seen = 0;
        while (!__atomic_load_n(&second_done, __ATOMIC_SEQ_CST))
            STM_ATOMIC { seen += *tick; }
    } else {
        while (!__atomic_load_n(&second_has_segment, __ATOMIC_SEQ_CST))
            STM_ATOMIC { *tick += 1; }
    }
    pthread_join(t, NULL);
    stm_stats_get(&s1);
    printf("values %s, room sweeps: %s, chunks released or objects given: %s\n",
           bad ? "WRONG" : "ok", s1.room_sweeps > s0.room_sweeps ? "yes" : "no",
           s1.chunks_released + s1.room_gives > s0.chunks_released + s0.room_gives ? "yes"
                                                                                     : "no");
    return 0;
}
