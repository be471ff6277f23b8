// A snapshot held long lets the commit log grow (nothing can be trimmed past it), and each
// segment kept every entry it had in the log at once for reuse, for good: bank with an auditor
// descheduled in a read-only block (4 threads on 2 CPUs) went from 23 to 221 MB of malloc'd
// memory in 15 s and stayed there (a review's soak).  Now a segment frees its dead entries
// beyond 4,096, up to 16 a commit.  Here a thread holds a snapshot in a read-only block while
// main commits 100,000 small transactions (~24 MB of entries); after it lets go, main's next
// commits give the memory back to malloc (mallinfo2's bytes in use).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t | FileCheck %s
// CHECK: pinned: over 10 MiB in use: yes
// CHECK-NEXT: after: under 4 MiB in use: yes, counter 120000
#include <stmc.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static long STM_HEAP *counter;
static atomic_int reader_in, writer_done;

static void *reader(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        (void)*counter; /* a snapshot from before main's commits, held while it waits */
        atomic_store_explicit(&reader_in, 1, memory_order_relaxed);
        while (!atomic_load_explicit(&writer_done, memory_order_relaxed))
            ;
    }
    return NULL;
}

int main(void)
{
    counter = stm_alloc(sizeof *counter);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (!atomic_load_explicit(&reader_in, memory_order_relaxed))
        ;
    for (int i = 0; i < 100000; i++)
        STM_ATOMIC { *counter += 1; }
    size_t pinned = mallinfo2().uordblks;
    atomic_store_explicit(&writer_done, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    for (int i = 0; i < 20000; i++)
        STM_ATOMIC { *counter += 1; }
    size_t after = mallinfo2().uordblks;
    long c = 0;
    STM_ATOMIC { c = *counter; }
    printf("pinned: over 10 MiB in use: %s\n", pinned > (10u << 20) ? "yes" : "no");
    printf("after: under 4 MiB in use: %s, counter %ld\n", after < (4u << 20) ? "yes" : "no", c);
    return 0;
}
