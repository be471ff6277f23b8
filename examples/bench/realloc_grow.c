/* realloc_grow - one thread grows an array of longs with stm_realloc, STEP elements at a time
 * (the `v = realloc(v, (n + 1) * sizeof *v)` idiom with STEP = 1), outside atomic blocks, and
 * prints the time it took.  Built both ways, it compares stm_realloc with the C library's:
 *
 *   build/bin/stmcc -O2 examples/bench/realloc_grow.c -o rg
 *   build/bin/stmcc --no-stm -O2 examples/bench/realloc_grow.c -o rg_base
 *   ./rg [N [STEP]]            (default 1000000 elements, 1 at a time)
 *   STM_NO_REALLOC_SLACK=1 ./rg
 *
 * docs/design.md ("Allocation") has what it showed: with exact page counts every page boundary
 * copied the whole array (quadratic); large objects now grow by half at least.
 */
#include <stmc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000, step = argc > 2 ? atol(argv[2]) : 1;
    if (n < 1 || step < 1) {
        fprintf(stderr, "usage: %s [N [STEP]]\n", argv[0]);
        return 2;
    }
    double t = now_ms();
    long STM_HEAP *v = NULL;
    for (long i = 0; i < n; i++) {
        if (i % step == 0)
            v = stm_realloc(v, (size_t)(i + step) * sizeof *v);
        v[i] = i;
    }
    t = now_ms() - t;
    long sum = 0;
    for (long i = 0; i < n; i++)
        sum += v[i];
    printf("time_ms: %.2f\ncheck: %s\n", t, sum == n * (n - 1) / 2 ? "ok" : "FAILED");
    return sum == n * (n - 1) / 2 ? 0 : 1;
}
