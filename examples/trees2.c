/* trees2 - allocation-heavy transactions on thread-local objects (duhton's demo/trees2, close
 * to the classic gcbench): each atomic block builds its own binary tree of the given depth with
 * stm_alloc, walks it, and frees it with stm_free.  Nothing is shared, so nothing conflicts;
 * this measures allocation, write-set and commit costs.
 */
#include "bench_support.h"

struct node {
    long key;
    struct node STM_HEAP *left;
    struct node STM_HEAP *right;
};

static long g_trees, g_depth;
static int g_threads;

static TM_SAFE struct node STM_HEAP *build(long depth, long key)
{
    struct node STM_HEAP *n = stm_alloc(sizeof(struct node));
    n->key = key;
    if (depth > 0) {
        n->left = build(depth - 1, 2 * key);
        n->right = build(depth - 1, 2 * key + 1);
    }
    return n;
}

/* Returns the sum of the keys and frees the tree. */
static TM_SAFE long walk_and_free(struct node STM_HEAP *n)
{
    long s = 0;
    while (n) {
        struct node STM_HEAP *right = n->right;
        s += n->key + walk_and_free(n->left);
        stm_free(n);
        n = right;
    }
    return s;
}

struct worker {
    BENCH_PER_THREAD int id;
    long bad;
};

static void *work(void *p)
{
    struct worker *w = p;
    long lo, hi, bad = 0;
    long depth = g_depth;
    long nodes = (2L << depth) - 1;     /* keys 1 .. nodes */
    long expect = nodes * (nodes + 1) / 2;
    bench_split(g_trees, g_threads, w->id, &lo, &hi);
    for (long i = lo; i < hi; i++) {
        long s = 0;
        STM_ATOMIC {
            struct node STM_HEAP *t = build(depth, 1);
            s = walk_and_free(t);
        }
        bad += s != expect;
    }
    w->bad = bad;
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 1, trees = 64, depth = 16;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &trees, "trees built (transactions) in all"},
        {"--depth", &depth, "depth of each tree"},
    };
    bench_parse(argc, argv, opts, 3);
    g_threads = bench_threads_ok(threads);
    if (trees < 0 || depth < 0 || depth > 24)
        return bench_check(false, "bad --size/--depth");
    g_trees = trees;
    g_depth = depth;
    bench_header("trees2", g_threads, "trees=%ld depth=%ld", trees, depth);

    struct worker *w = bench_per_thread(g_threads, sizeof *w);
    for (int i = 0; i < g_threads; i++)
        w[i].id = i;

    bench_time(bench_run_threads(g_threads, work, w, sizeof *w));

    long bad = 0;
    for (int i = 0; i < g_threads; i++)
        bad += w[i].bad;
    free(w);
    return bench_check(bad == 0, "%ld trees had a wrong sum", bad);
}
