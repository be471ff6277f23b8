// A commit-log entry of at least 256 KiB (a commit that wrote that much: here a fresh 1 MiB
// object, 1.5 MiB of entry) is mapped and unmapped, not malloc'd.  glibc serves such a request
// by mmap, but the free of one raises its threshold to that size, so the next came from its
// arenas, which keep freed memory: a review's soak (4 threads, objects of 64 KB-4 MB replaced
// now and then, 25 MB live) held 330 MB of malloc'd memory (in 60 s runs here: 114 MB of
// anonymous memory besides the heap before, 80 MB with every large entry unmapped when dead,
// 108 MB with the dead ones cached up to 4 MiB a segment, which large commits need: single
// samples of a random workload).  Checked: while another thread's snapshot keeps the
// entry alive, malloc holds no such block (mallinfo2's mmapped bytes: 516 KiB, the write set's
// vectors; 2,056 KiB before), and the data arrives.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t | FileCheck %s
// CHECK: entry alive, malloc's mmapped bytes under 1 MiB: yes
// CHECK-NEXT: reader sees 1048576 bytes of 7
#include <stmc.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define SIZE (1 << 20)
static char STM_HEAP *STM_HEAP *slot;
static atomic_int reader_in, writer_done;

static void *reader(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        (void)*slot; /* a snapshot from before the writer's commit, held while it waits */
        atomic_store_explicit(&reader_in, 1, memory_order_relaxed);
        while (!atomic_load_explicit(&writer_done, memory_order_relaxed))
            ;
    }
    long n = 0;
    STM_ATOMIC {
        n = 0;
        char STM_HEAP *p = *slot;
        for (long i = 0; i < SIZE; i++)
            n += p[i] == 7;
    }
    printf("reader sees %ld bytes of 7\n", n);
    return NULL;
}

int main(void)
{
    slot = stm_alloc(sizeof *slot);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (!atomic_load_explicit(&reader_in, memory_order_relaxed))
        ;
    STM_ATOMIC {
        char STM_HEAP *p = stm_alloc(SIZE);
        for (long i = 0; i < SIZE; i++)
            p[i] = 7;
        *slot = p;
    }
    struct mallinfo2 mi = mallinfo2();
    printf("entry alive, malloc's mmapped bytes under 1 MiB: %s\n",
           mi.hblkhd < (1 << 20) ? "yes" : "no");
    fflush(stdout);
    atomic_store_explicit(&writer_done, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    return 0;
}
