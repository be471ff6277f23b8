/* trees - a shared binary tree in the STM heap walked read-only by many transactions (duhton's
 * demo/trees: read-only access to globals).  The tree (depth 10 by default) is built once; each
 * walk is one atomic block that visits every node and sums the keys.  The walks are divided
 * among the threads; readers never conflict.
 */
#include "bench_support.h"

struct node {
    long key;
    struct node STM_HEAP *left;
    struct node STM_HEAP *right;
};

static struct node STM_HEAP *root;
static long g_walks;
static int g_threads;

static struct node STM_HEAP *build(int depth, long *next_key)
{
    struct node STM_HEAP *n = stm_alloc(sizeof(struct node));
    n->key = (*next_key)++;
    if (depth > 0) {
        n->left = build(depth - 1, next_key);
        n->right = build(depth - 1, next_key);
    }
    return n;
}

/* The sum of (key ^ salt) over the tree: the salt differs from walk to walk, so that no
 * compiler can merge the walks of successive transactions. */
static TM_SAFE long walk(const struct node STM_HEAP *n, long salt)
{
    long s = 0;
    while (n) {                 /* recurse left, iterate right */
        s += (n->key ^ salt) + walk(n->left, salt);
        n = n->right;
    }
    return s;
}

#define NSALTS 64
static long g_expect[NSALTS];

static void destroy(struct node STM_HEAP *n)
{
    if (!n)
        return;
    destroy(n->left);
    destroy(n->right);
    stm_free(n);
}

struct worker {
    BENCH_PER_THREAD int id;
    long bad;
};

static void *work(void *p)
{
    struct worker *w = p;
    long lo, hi, bad = 0;
    bench_split(g_walks, g_threads, w->id, &lo, &hi);
    for (long i = lo; i < hi; i++) {
        long s = 0, salt = i % NSALTS;
        STM_ATOMIC {
            s = walk(root, salt);
        }
        bad += s != g_expect[salt];
    }
    w->bad = bad;
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 1, walks = 50000, depth = 10;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &walks, "tree walks (transactions) in all"},
        {"--depth", &depth, "depth of the shared tree"},
    };
    bench_parse(argc, argv, opts, 3);
    g_threads = bench_threads_ok(threads);
    if (walks < 0 || depth < 0 || depth > 24)
        return bench_check(false, "bad --size/--depth");
    g_walks = walks;
    bench_header("trees", g_threads, "walks=%ld depth=%ld", walks, depth);

    long nodes = 0;
    root = build((int)depth, &nodes);
    for (long salt = 0; salt < NSALTS; salt++)
        for (long k = 0; k < nodes; k++)
            g_expect[salt] += k ^ salt;
    struct worker *w = bench_per_thread(g_threads, sizeof *w);
    for (int i = 0; i < g_threads; i++)
        w[i].id = i;

    bench_time(bench_run_threads(g_threads, work, w, sizeof *w));

    long bad = 0;
    for (int i = 0; i < g_threads; i++)
        bad += w[i].bad;
    bool ok = bad == 0 && walk(root, 5) == g_expect[5];
    printf("nodes: %ld\n", nodes);
    destroy(root);
    free(w);
    return bench_check(ok, "%ld walks saw a wrong sum", bad);
}
