/* mandelbrot - threads compute ranges of rows of a size x size image held in the STM heap,
 * one atomic block per row (the RSqueak/STM "Mandelbrot iterative" benchmark).
 *
 * The pixel loop runs inside the atomic block and stores every pixel into the heap; rows of
 * different threads never overlap, so there are no conflicts.  Threads take ranges of 4 rows
 * from a shared counter (bench_take) as they finish: rows near the real axis cost many times
 * the outer ones, so equal shares were unequal work past 2 threads (split in 4, the middle
 * quarters held nearly all of it: 1.9x at 4 threads on 16 CPUs, docs/bench/16cpu).
 */
#include "bench_support.h"

static uint16_t STM_HEAP *image;
static long g_size, g_iters;
static int g_threads;
static long g_next;             /* the next row to hand out (bench_take) */

static inline TM_SAFE int pixel(long x, long y, long size, long iters)
{
    double cr = -2.0 + 3.0 * (double)x / (double)size;
    double ci = -1.5 + 3.0 * (double)y / (double)(size - 1);
    double zr = 0.0, zi = 0.0;
    int k = 0;
    while (k < iters && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        k++;
    }
    return k;
}

struct worker {
    BENCH_PER_THREAD int id;
};

static void *work(void *p)
{
    (void)p;
    long lo, hi;
    long size = g_size, iters = g_iters;
    while (bench_take(&g_next, 4, size, &lo, &hi)) {
        for (long y = lo; y < hi; y++) {
            STM_ATOMIC {
                uint16_t STM_HEAP *row = image + y * size;
                for (long x = 0; x < size; x++)
                    row[x] = (uint16_t)pixel(x, y, size, iters);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 1, size = 1024, iters = 256;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &size, "image width and height in pixels"},
        {"--iters", &iters, "maximum iterations per pixel"},
    };
    bench_parse(argc, argv, opts, 3);
    g_threads = bench_threads_ok(threads);
    if (size < 2 || iters < 1 || iters > 65535)
        return bench_check(false, "bad --size/--iters");
    g_size = size;
    g_iters = iters;
    bench_header("mandelbrot", g_threads, "size=%ld iters=%ld", size, iters);

    image = stm_alloc(sizeof(uint16_t) * (size_t)(size * size));
    struct worker *w = bench_per_thread(g_threads, sizeof *w);
    for (int i = 0; i < g_threads; i++)
        w[i].id = i;

    bench_time(bench_run_threads(g_threads, work, w, sizeof *w));

    long bad = 0, first_bad = -1;
    uint64_t inside = 0;
    for (long y = 0; y < size; y++)
        for (long x = 0; x < size; x++) {
            int expect = pixel(x, y, size, iters);
            int got = image[y * size + x];
            if (got != expect && bad++ == 0)
                first_bad = y * size + x;
            inside += got == iters;
        }
    printf("inside: %llu\n", (unsigned long long)inside);
    stm_free(image);
    free(w);
    return bench_check(bad == 0, "%ld wrong pixels, first at %ld", bad, first_bad);
}
