/* square_roots - many CPU-bound transactions (duhton's demo/many_square_roots.duh).
 *
 * The seed's program runs one transaction per number n = 1e9 + k * 1e5, each of which finds
 * floor(sqrt(n)) by the linear search "i = 0; while i * i < n: i = i + 1", so every transaction
 * is tens of microseconds of arithmetic around a few heap accesses.  Here too: one atomic block
 * per number; it reads n from the heap, searches, stores the root next to it and counts the
 * search steps in the thread's own heap cell.  The seed queues the transactions and its threads
 * take them as they finish; here threads take chunks of 16 numbers from a shared counter
 * (bench_take).  A search costs sqrt(n), so equal ranges of the numbers are not equal work:
 * split in two halves, the upper half is 16% more, and 2 threads could not go faster than 1.87x.
 * A chunk's roots are 128 bytes of `output`, whole granules: there are no conflicts, and the
 * commit cost is small next to the work.
 *
 * --newton 1 selects a commit-bound variant instead: numbers below 2^62, each root found by a
 * few dozen Newton steps whose running estimate is kept in the heap cell (a heap write per
 * step), i.e. transactions of a few hundred nanoseconds.  It measures commit throughput, not
 * the seed's workload.
 */
#include "bench_support.h"

struct cell {
    uint64_t r;                 /* Newton's running estimate (--newton 1) */
    uint64_t steps;             /* search or Newton steps done by the owning thread */
    char pad[48];
};

static uint64_t STM_HEAP *input;
static uint64_t STM_HEAP *output;
static struct cell STM_HEAP *cells;
static long g_size, g_newton;
static long g_next;             /* the next number to hand out (bench_take) */
static int g_threads;

/* The seed's search: floor(sqrt(n)) for n < 2^62, counting its steps into *steps.  Not inlined:
 * inlined into the atomic block (after its setjmp), clang's register allocator put two extra
 * register moves on the loop's critical path in the stmc build only (1.8x slower loop). */
static TM_SAFE __attribute__((noinline)) uint64_t isqrt_linear(uint64_t n, uint64_t *steps)
{
    uint64_t i = 0;
    while ((i + 1) * (i + 1) <= n)
        i++;
    *steps += i;
    return i;
}

/* floor(sqrt(n)) by Newton iteration, with the estimate held in heap cell c. */
static TM_SAFE uint64_t isqrt_newton_in_heap(struct cell STM_HEAP *c, uint64_t n)
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
    BENCH_PER_THREAD int id;
};

static void *work(void *p)
{
    struct worker *w = p;
    long lo, hi;
    struct cell STM_HEAP *c = &cells[w->id];
    /* 16 roots (a few hundred microseconds); 1024 in the Newton variant's short transactions */
    long chunk = g_newton ? 1024 : 16;
    while (bench_take(&g_next, chunk, g_size, &lo, &hi)) {
        for (long i = lo; i < hi; i++) {
            if (g_newton) {
                STM_ATOMIC {
                    output[i] = isqrt_newton_in_heap(c, input[i]);
                }
            } else {
                STM_ATOMIC {
                    uint64_t steps = 0;
                    output[i] = isqrt_linear(input[i], &steps);
                    c->steps += steps;
                }
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 1, size = -1, seed = 42, newton = 0;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &size, "square roots computed in all (default 8000; 1000000 with --newton 1)"},
        {"--newton", &newton, "1: commit-bound Newton variant, estimate kept in the heap"},
        {"--seed", &seed, "random seed of the inputs (--newton 1)"},
    };
    bench_parse(argc, argv, opts, 4);
    g_threads = bench_threads_ok(threads);
    if (size == -1)
        size = newton ? 1000000 : 8000;
    if (size < 1 || (newton != 0 && newton != 1))
        return bench_check(false, "bad --size/--newton");
    g_size = size;
    g_newton = newton;
    bench_header("square_roots", g_threads, "size=%ld newton=%ld", size, newton);

    input = stm_alloc(sizeof(uint64_t) * (size_t)size);
    output = stm_alloc(sizeof(uint64_t) * (size_t)size);
    cells = stm_alloc(sizeof(struct cell) * (size_t)g_threads);
    uint64_t s = bench_seed(seed, 0);
    for (long i = 0; i < size; i++) {
        if (newton)
            input[i] = bench_rand(&s) >> 2;   /* below 2^62: r + n / r cannot overflow */
        else
            input[i] = 1000000000ULL + (uint64_t)i * 100000ULL;     /* the seed's numbers */
    }
    struct worker *w = bench_per_thread(g_threads, sizeof *w);
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
    printf("steps: %llu\n", (unsigned long long)steps);
    stm_free(input);
    stm_free(output);
    stm_free(cells);
    free(w);
    return bench_check(bad == 0, "%ld wrong roots, first at index %ld", bad, first_bad);
}
