/* examples/intset_common.h - the driver shared by the integer-set examples (intset_list,
 * intset_rbtree, hashmap): random contains/insert/remove operations over a key range, and the
 * commutative end check.
 *
 * Each thread counts, per key, its successful inserts and removes (outside the atomic block,
 * after it committed).  Since every successful insert adds the key and every successful remove
 * takes it away, at the end   member(k) == initially(k) + inserts(k) - removes(k)   for every
 * key, whatever the interleaving was; the example's own walk of its structure gives member(k).
 *
 * The including file defines, before including this one:
 *   SET_NAME                         "intset_list"
 *   static void set_init(long range)                  create the empty set (main thread)
 *   static TM_SAFE bool set_contains(long k)          the three operations, called inside
 *   static TM_SAFE long set_insert(long k)            atomic blocks; insert/remove return > 0
 *   static TM_SAFE long set_remove(long k)            on success (the key was added/removed)
 *   optionally SET_UPDATE_HELP: --help's text for --update, when "insert" means more
 *   optionally SET_AFTER(w, op, k, r): run after the block committed with its result r
 *        (op 'i' or 'r'); it may update w->extra_a/extra_b, summed into g_extra_a/g_extra_b
 *   static bool set_members(unsigned char *member, long range, char *why, size_t n)
 *        fill member[k] (0/1) by walking the set, checking its invariants; false + why if broken
 *   static void set_destroy(void)
 */
#ifndef STMC_INTSET_COMMON_H
#define STMC_INTSET_COMMON_H

#ifndef SET_UPDATE_HELP
#define SET_UPDATE_HELP "percentage of updates: half inserts, half removes; the rest lookups"
#endif

struct set_worker {
    BENCH_PER_THREAD int id;
    long lookups, found, inserts, removes, failed_updates;
    long extra_a, extra_b;      /* for SET_AFTER */
    int *delta;                 /* per key: successful inserts - successful removes */
};

static long g_range, g_ops, g_update, g_seed;
static long g_extra_a, g_extra_b;
static int g_threads;

#ifndef SET_AFTER
#define SET_AFTER(w, op, k, r) ((void)0)
#endif

static void *set_work(void *p)
{
    struct set_worker *w = p;
    long lo, hi;
    uint64_t rng = bench_seed(g_seed, w->id + 1);
    bench_split(g_ops, g_threads, w->id, &lo, &hi);
    for (long i = lo; i < hi; i++) {
        long op = bench_rand_below(&rng, 200);
        long k = bench_rand_below(&rng, g_range);
        long r = 0;
        if (op < g_update) {            /* g_update is in percent: half inserts */
            STM_ATOMIC {
                r = set_insert(k);
            }
            SET_AFTER(w, 'i', k, r);
            if (r > 0) {
                w->inserts++;
                w->delta[k]++;
            } else {
                w->failed_updates++;
            }
        } else if (op < 2 * g_update) { /* ... and half removes */
            STM_ATOMIC {
                r = set_remove(k);
            }
            SET_AFTER(w, 'r', k, r);
            if (r > 0) {
                w->removes++;
                w->delta[k]--;
            } else {
                w->failed_updates++;
            }
        } else {
            bool c = false;
            STM_ATOMIC {
                c = set_contains(k);
            }
            w->lookups++;
            w->found += c;
        }
    }
    return NULL;
}

static int set_main(int argc, char **argv, long range, long ops, long update)
{
    long threads = 1, seed = 7;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &ops, "operations in all"},
        {"--range", &range, "keys are drawn from [0, range)"},
        {"--update", &update, SET_UPDATE_HELP},
        {"--seed", &seed, "random seed"},
    };
    bench_parse(argc, argv, opts, 5);
    g_threads = bench_threads_ok(threads);
    if (ops < 0 || range < 1 || update < 0 || update > 100)
        return bench_check(false, "bad options");
    g_range = range;
    g_ops = ops;
    g_update = update;
    g_seed = seed;
    bench_header(SET_NAME, g_threads, "ops=%ld range=%ld update=%ld%%", ops, range, update);

    /* Initial contents: every key with probability 1/2, inserted in random order. */
    unsigned char *initially = calloc((size_t)range, 1);
    unsigned char *member = calloc((size_t)range, 1);
    long *order = malloc(sizeof(long) * (size_t)range);
    uint64_t rng = bench_seed(seed, 0);
    set_init(range);
    for (long k = 0; k < range; k++)
        order[k] = k;
    for (long k = range - 1; k > 0; k--) {
        long j = bench_rand_below(&rng, k + 1), t = order[k];
        order[k] = order[j];
        order[j] = t;
    }
    long initial_size = 0;
    for (long i = 0; i < range; i++) {
        long k = order[i];
        if (bench_rand(&rng) & 1) {
            long r = 0;
            STM_ATOMIC {
                r = set_insert(k);
            }
            initially[k] = r > 0;
            initial_size += r > 0;
        }
    }

    struct set_worker *w = bench_per_thread(g_threads, sizeof *w);
    for (int i = 0; i < g_threads; i++) {
        w[i].id = i;
        w[i].delta = calloc((size_t)range, sizeof(int));
    }

    bench_time(bench_run_threads(g_threads, set_work, w, sizeof *w));

    long bad_keys = 0, first_bad = -1, final_size = 0, inserts = 0, removes = 0, lookups = 0;
    for (int i = 0; i < g_threads; i++) {
        inserts += w[i].inserts;
        removes += w[i].removes;
        lookups += w[i].lookups;
        g_extra_a += w[i].extra_a;
        g_extra_b += w[i].extra_b;
    }
    char why[200] = "";
    bool ok = set_members(member, range, why, sizeof why);
    for (long k = 0; k < range; k++) {
        long expect = initially[k];
        for (int i = 0; i < g_threads; i++)
            expect += w[i].delta[k];
        final_size += member[k];
        if (expect != member[k] && bad_keys++ == 0)
            first_bad = k;
    }
    printf("size: %ld -> %ld  inserts: %ld removes: %ld lookups: %ld\n", initial_size,
           final_size, inserts, removes, lookups);
    if (ok && bad_keys)
        snprintf(why, sizeof why, "%ld keys differ from the serial model, first key %ld",
                 bad_keys, first_bad);
    set_destroy();
    for (int i = 0; i < g_threads; i++)
        free(w[i].delta);
    free(w);
    free(order);
    free(initially);
    free(member);
    return bench_check(ok && bad_keys == 0, "%s", why);
}

#endif /* STMC_INTSET_COMMON_H */
