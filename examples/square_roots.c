/* square_roots - many CPU-bound transactions (duhton's demo/many_square_roots): each atomic
 * block computes the integer square root of one heap-held number by Newton iteration, keeping
 * its running estimate in the STM heap, and stores the result next to the input.
 *
 * Each thread owns an interval of the numbers and one scratch cell; no conflicts.
 */
#include "bench_support.h"

struct cell {
    uint64_t r;                 /* the current Newton estimate */
    uint64_t steps;             /* iterations done by the owning thread */
    char pad[48];
};

static uint64_t STM_HEAP *input;
static uint64_t STM_HEAP *output;
static struct cell STM_HEAP *cells;
static long g_size;
static int g_threads;

/* floor(sqrt(n)) by Newton iteration, with the estimate held in heap cell c. */
static TM_SAFE uint64_t isqrt_in_heap(struct cell STM_HEAP *c, uint64_t n)
{
    if (n < 2)
        return n;
    c->r = n / 2 + 1;
    for (;;) {
        uint64_t r = c->r;
        uint64_t y = (r + n / r) / 2;
        c->steps++;
        if (y >= r)
            return r;
        c->r = y;
    }
}

struct worker {
    int id;
};

static void *work(void *p)
{
    struct worker *w = p;
    long lo, hi;
    bench_split(g_size, g_threads, w->id, &lo, &hi);
    struct cell STM_HEAP *c = &cells[w->id];
    for (long i = lo; i < hi; i++) {
        STM_ATOMIC {
            output[i] = isqrt_in_heap(c, input[i]);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 1, size = 1000000, seed = 42;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &size, "square roots computed in all"},
        {"--seed", &seed, "random seed of the inputs"},
    };
    bench_parse(argc, argv, opts, 3);
    g_threads = bench_threads_ok(threads);
    if (size < 1)
        return bench_check(false, "bad --size");
    g_size = size;
    bench_header("square_roots", g_threads, "size=%ld", size);

    input = stm_alloc(sizeof(uint64_t) * (size_t)size);
    output = stm_alloc(sizeof(uint64_t) * (size_t)size);
    cells = stm_alloc(sizeof(struct cell) * (size_t)g_threads);
    uint64_t s = bench_seed(seed, 0);
    for (long i = 0; i < size; i++)
        input[i] = bench_rand(&s) >> 2;     /* below 2^62: r + n / r cannot overflow */
    struct worker *w = calloc((size_t)g_threads, sizeof *w);
    for (int i = 0; i < g_threads; i++)
        w[i].id = i;

    bench_time(bench_run_threads(g_threads, work, w, sizeof *w));

    long bad = 0, first_bad = -1;
    for (long i = 0; i < size; i++) {
        unsigned __int128 n = input[i], r = output[i];
        if (!(r * r <= n && (r + 1) * (r + 1) > n) && bad++ == 0)
            first_bad = i;
    }
    uint64_t steps = 0;
    for (int i = 0; i < g_threads; i++)
        steps += cells[i].steps;
    printf("newton_steps: %llu\n", (unsigned long long)steps);
    stm_free(input);
    stm_free(output);
    stm_free(cells);
    free(w);
    return bench_check(bad == 0, "%ld wrong roots, first at index %ld", bad, first_bad);
}
