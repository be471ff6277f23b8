/* large_objects - what an object of SIZE bytes costs to allocate, touch and free, in atomic
 * blocks: one block allocates it and writes one byte, the next frees it.
 *
 *   build/bin/stmcc -O2 examples/bench/large_objects.c -o large_objects
 *   build/bin/stmcc --no-stm -O2 examples/bench/large_objects.c -o large_objects.plain
 *   ./large_objects [SIZE [ITERATIONS]]      (default 1 MiB, 1000)
 *
 * stmc puts each 16-byte granule of a new object in the write set and copies the object into
 * the commit's log entry and into segment 0 (docs/design.md, "Limits": large objects; the
 * switch STM_NO_RUNS=1 does it a granule at a time).  The plain build is calloc/free.
 */
#include <stmc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t size = argc > 1 ? strtoul(argv[1], NULL, 0) : (size_t)1 << 20;
    long iters = argc > 2 ? atol(argv[2]) : 1000;
    if (size == 0 || iters <= 0) {
        fprintf(stderr, "usage: %s [SIZE [ITERATIONS]]\n", argv[0]);
        return 2;
    }
    double t0 = now();
    for (long i = 0; i < iters; i++) {
        char STM_HEAP *p;
        STM_ATOMIC {
            p = stm_alloc(size);
            p[(size_t)i % size] = 1;
        }
        STM_ATOMIC {
            stm_free(p);
        }
    }
    printf("%zu bytes: %.1f us an iteration\n", size, (now() - t0) / (double)iters * 1e6);
    return 0;
}
