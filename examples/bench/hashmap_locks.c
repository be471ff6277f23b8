/* hashmap_locks - the hashmap example's workload in plain C with fine-grained locking: how far
 * this machine lets that workload scale at all, without any STM.
 *
 *   cc -O2 -pthread examples/bench/hashmap_locks.c -o hashmap_locks
 *   ./hashmap_locks [--threads N] [--size OPS] [--readers locked|seqlock]
 *
 * The same map and operations as examples/hashmap.c (a chained map of 8192 buckets, keys in
 * [0, 16384), 10% inserts, 10% removes, 80% lookups, 4 million operations split over the
 * threads).  Writers take one spinlock per bucket (a line of its own); lookups either take it
 * too ("locked") or read under the bucket's sequence number and retry when a writer changed it
 * ("seqlock": a lookup writes no shared line).  What is left is the workload's own traffic: an
 * update changes lines that the other CPUs then miss on.  docs/design.md ("Limits") compares
 * stmc's hashmap scaling with this one.  Prints time_ms and checks the map at the end.
 */
#include "../bench_support.h" /* its PRNG, clock and check line (plain C: no stmc needed) */

#define RANGE 16384
#define NBUCKETS (RANGE / 2)
#define MAX_THREADS 64

struct entry {
    long key, value;
    struct entry *next;
};

struct bucket {               /* one line: the lock, the sequence number, the chain */
    _Alignas(64) int lock;
    unsigned seq;             /* odd while a writer changes the chain */
    struct entry *head;
};

static struct bucket g_map[NBUCKETS];
static long g_ops = 4000000;
static int g_threads = 1;
static bool g_seqlock;

struct worker {
    _Alignas(64) int id;
    long inserts, removes, found;
    struct entry *pool;       /* removed entries, reused by this thread's inserts */
};

static inline struct bucket *bucket_of(long k)
{
    return &g_map[(((unsigned long)k * 0x9E3779B97F4A7C15UL) >> 20) % NBUCKETS];
}

static inline long value_of(long k) { return k * 1000003; }

static void lock(struct bucket *b)
{
    while (__atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&b->lock, __ATOMIC_RELAXED))
            __builtin_ia32_pause();
}

static void unlock(struct bucket *b) { __atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE); }

/* Writers publish every field with atomic stores, so that seqlock readers race with nothing. */
#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_RELAXED)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELAXED)

static struct entry **find(struct bucket *b, long k)
{
    struct entry **link = &b->head;
    while (*link && (*link)->key < k)
        link = &(*link)->next;
    return link;
}

static void update(struct worker *w, struct bucket *b, long k, bool insert)
{
    lock(b);
    STORE(b->seq, b->seq + 1);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    struct entry **link = find(b, k), *e = *link;
    if (insert && !(e && e->key == k)) {
        struct entry *n = w->pool;
        if (n)
            w->pool = n->next;
        else if (!(n = malloc(sizeof *n)))
            abort();
        STORE(n->key, k);
        STORE(n->value, value_of(k));
        STORE(n->next, e);
        STORE(*link, n);
        w->inserts++;
    } else if (!insert && e && e->key == k) {
        STORE(*link, e->next);
        STORE(e->next, w->pool); /* never freed: a seqlock reader may be looking at it */
        w->pool = e;
        w->removes++;
    }
    __atomic_store_n(&b->seq, b->seq + 1, __ATOMIC_RELEASE);
    unlock(b);
}

static bool lookup(struct bucket *b, long k)
{
    if (!g_seqlock) {
        lock(b);
        struct entry *e = *find(b, k);
        bool found = e && e->key == k && e->value == value_of(k);
        unlock(b);
        return found;
    }
    for (;;) {
        unsigned s = __atomic_load_n(&b->seq, __ATOMIC_ACQUIRE);
        bool found = false;
        if (!(s & 1)) {
            struct entry *e = LOAD(b->head);
            for (int steps = 0; e && LOAD(e->key) < k && steps < RANGE; steps++)
                e = LOAD(e->next);
            found = e && LOAD(e->key) == k && LOAD(e->value) == value_of(k);
            __atomic_thread_fence(__ATOMIC_ACQUIRE);
            if (__atomic_load_n(&b->seq, __ATOMIC_RELAXED) == s)
                return found;
        }
        __builtin_ia32_pause();
    }
}

static void *work(void *p)
{
    struct worker *w = p;
    uint64_t rng = 0x9E3779B97F4A7C15ULL * (uint64_t)(w->id + 1) + 1;
    long n = g_ops / g_threads + (w->id < g_ops % g_threads);
    for (long i = 0; i < n; i++) {
        long op = bench_rand_below(&rng, 200), k = bench_rand_below(&rng, RANGE);
        struct bucket *b = bucket_of(k);
        if (op < 20)
            update(w, b, k, true);
        else if (op < 40)
            update(w, b, k, false);
        else
            w->found += lookup(b, k);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    bool bad = argc % 2 == 0; /* options come in pairs */
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--threads"))
            g_threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--size"))
            g_ops = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--readers") && !strcmp(argv[i + 1], "seqlock"))
            g_seqlock = true;
        else if (!strcmp(argv[i], "--readers") && !strcmp(argv[i + 1], "locked"))
            g_seqlock = false;
        else
            bad = true; /* (--range among them: the key range is fixed, RANGE) */
    }
    if (bad || g_threads < 1 || g_threads > MAX_THREADS || g_ops < 0) {
        fprintf(stderr, "usage: %s [--threads 1..%d] [--size OPS] [--readers locked|seqlock]\n",
                argv[0], MAX_THREADS);
        return 2;
    }
    static struct worker w[MAX_THREADS];
    long present = 0;
    uint64_t rng = 5;
    for (long i = 0; i < RANGE / 2; i++) {   /* half full, as intset_common.h starts */
        long k = bench_rand_below(&rng, RANGE);
        struct entry **link = find(bucket_of(k), k);
        if (*link && (*link)->key == k)
            continue;
        struct entry *e = malloc(sizeof *e);
        if (!e)
            abort();
        *e = (struct entry){k, value_of(k), *link};
        *link = e;
        present++;
    }
    printf("hashmap_locks: threads=%d ops=%ld readers=%s\n", g_threads, g_ops,
           g_seqlock ? "seqlock" : "locked");
    pthread_t t[MAX_THREADS];
    double t0 = bench_now_ms();
    for (int i = 0; i < g_threads; i++) {
        w[i].id = i;
        if (pthread_create(&t[i], NULL, work, &w[i]))
            abort();
    }
    for (int i = 0; i < g_threads; i++)
        pthread_join(t[i], NULL);
    bench_time(bench_now_ms() - t0);
    long count = 0;
    bool sorted = true;
    for (long b = 0; b < NBUCKETS; b++)
        for (struct entry *e = g_map[b].head; e; e = e->next) {
            count++;
            sorted &= (!e->next || e->key < e->next->key) && bucket_of(e->key) == &g_map[b] &&
                      e->value == value_of(e->key);
        }
    for (int i = 0; i < g_threads; i++)
        present += w[i].inserts - w[i].removes;
    return bench_check(sorted && count == present, "%ld entries, %ld expected%s", count, present,
                       sorted ? "" : ", a chain out of order");
}
