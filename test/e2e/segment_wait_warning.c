// A thread that has waited a second for a segment is told why, once: every segment is held by a
// thread that does not give it back (an OpenMP team larger than STM_SEGMENTS hung silently at
// its barrier: the threads holding segments waited there for threads that had none).  Here
// the one segment is held by a block that waits in read() on a pipe (an external call: the
// block becomes inevitable and keeps its segment); a second thread wants a segment; main
// writes to the pipe after 1.5 s, so the block ends and the second thread gets its turn.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && env STM_SEGMENTS=1 %run %t 2>&1 | FileCheck %s
// CHECK: stmc: warning: a thread has waited 1 s for a segment: all 1 are held by other threads ({{.*}}OpenMP{{.*}}); {{.*}} raise STM_SEGMENTS (at most 64)
// CHECK-NOT: stmc: warning
// CHECK: sum 42
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static long STM_HEAP *cell;
static int fds[2], in_block;

static void *holder(void *arg)
{
    (void)arg;
    char c;
    STM_ATOMIC {
        cell[0] += 40;
        __atomic_store_n(&in_block, 1, __ATOMIC_RELAXED);
        if (read(fds[0], &c, 1) != 1)
            perror("read");
    }
    return NULL;
}

static void *waiter(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        cell[0] += 2;
    }
    return NULL;
}

int main(void)
{
    if (pipe(fds))
        return 1;
    cell = stm_alloc(sizeof *cell);
    pthread_t h, w;
    pthread_create(&h, NULL, holder, NULL);
    while (!__atomic_load_n(&in_block, __ATOMIC_RELAXED))
        usleep(1000);
    pthread_create(&w, NULL, waiter, NULL);
    usleep(1500000);
    if (write(fds[1], "x", 1) != 1)
        return 1;
    pthread_join(h, NULL);
    pthread_join(w, NULL);
    long v = cell[0];
    fflush(stderr);
    printf("sum %ld\n", v);
    return 0;
}
