/* parallel_sum - each thread sums its own predefined interval of [0, size) in chunks, and adds
 * each chunk's partial sum to its slot of a results array in the STM heap, in an atomic block.
 * (The RSqueak/STM "parallel sum" benchmark: 10 million and 1 billion numbers.)
 *
 * The summed term is a cheap hash of i, so that the compiler cannot reduce a chunk to a closed
 * form.  Threads never write the same slot: there are no conflicts, only STM overhead.
 */
#include "bench_support.h"

struct slot {
    uint64_t sum;
    uint64_t chunks;
    char pad[48];               /* one slot per cache line (and per 16-byte granule) */
};

static struct slot STM_HEAP *results;
static long g_size, g_chunk;
static int g_threads;

static inline uint64_t term(uint64_t i)
{
    return (i * 0x9E3779B97F4A7C15ULL) >> 40;
}

/* Not inlined: inlined into work(), which calls setjmp (its atomic block), the loop got four
 * more register moves per vector iteration in the stmc build only (callgrind, --size 1e7: 60.0
 * vs 47.5 M instructions in work; clang compiles functions that call setjmp more carefully).
 * The same source builds the baseline, so both call it. */
static __attribute__((noinline)) uint64_t sum_range(uint64_t lo, uint64_t hi)
{
    uint64_t s = 0;
    for (uint64_t i = lo; i < hi; i++)
        s += term(i);
    return s;
}

struct worker {
    BENCH_PER_THREAD int id;
};

static void *work(void *p)
{
    struct worker *w = p;
    long lo, hi;
    bench_split(g_size, g_threads, w->id, &lo, &hi);
    for (long c = lo; c < hi; c += g_chunk) {
        long e = c + g_chunk < hi ? c + g_chunk : hi;
        uint64_t part = sum_range((uint64_t)c, (uint64_t)e);
        STM_ATOMIC {
            results[w->id].sum += part;
            results[w->id].chunks += 1;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 1, size = 1000000000L, chunk = 100000;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &size, "numbers summed in all"},
        {"--chunk", &chunk, "numbers per atomic block"},
    };
    bench_parse(argc, argv, opts, 3);
    g_threads = bench_threads_ok(threads);
    if (size < 0 || chunk < 1)
        return bench_check(false, "bad --size/--chunk");
    g_size = size;
    g_chunk = chunk;
    bench_header("parallel_sum", g_threads, "size=%ld chunk=%ld", size, chunk);

    results = stm_alloc(sizeof(struct slot) * (size_t)g_threads);
    struct worker *w = bench_per_thread(g_threads, sizeof *w);
    for (int i = 0; i < g_threads; i++)
        w[i].id = i;

    bench_time(bench_run_threads(g_threads, work, w, sizeof *w));

    uint64_t total = 0, chunks = 0, expect_chunks = 0;
    bool ok = true;
    for (int i = 0; i < g_threads; i++) {
        long lo, hi;
        bench_split(size, g_threads, i, &lo, &hi);
        uint64_t expect = sum_range((uint64_t)lo, (uint64_t)hi);
        uint64_t got = results[i].sum;
        if (got != expect) {
            ok = false;
            printf("thread %d: sum %llu, expected %llu\n", i, (unsigned long long)got,
                   (unsigned long long)expect);
        }
        total += got;
        chunks += results[i].chunks;
        expect_chunks += (uint64_t)((hi - lo + chunk - 1) / chunk);
    }
    printf("sum: %llu\n", (unsigned long long)total);
    stm_free(results);
    free(w);
    return bench_check(ok && chunks == expect_chunks, "chunks %llu, expected %llu",
                       (unsigned long long)chunks, (unsigned long long)expect_chunks);
}
