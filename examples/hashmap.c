/* hashmap - a chained hash map (fixed bucket array, sorted chains) in the STM heap under mixed
 * get / put / remove operations.  A put on a present key updates its value and bumps the
 * entry's version; a remove reports the version of the entry it took away.
 *
 * End check (intset_common.h for membership): the set of present keys matches the serial
 * model, every value is the one the last put stored (a function of the key and the version),
 * and  sum(versions present) + sum(versions removed) == number of puts on present keys.
 */
#include "bench_support.h"

#define SET_NAME "hashmap"
/* set_insert is a put: it inserts an absent key or updates a present one */
#define SET_UPDATE_HELP                                                                       \
    "percentage of updates: half puts (insert, or update of a present key: new value, version " \
    "+ 1), half removes; the rest gets"

struct entry {
    long key;
    long value;
    long version;
    struct entry STM_HEAP *next;
};

static struct entry STM_HEAP *STM_HEAP *buckets;
static long g_buckets;

static inline TM_SAFE long value_of(long key, long version)
{
    return key * 1000003 + version;
}

static inline TM_SAFE unsigned long hash(long key)
{
    return ((unsigned long)key * 0x9E3779B97F4A7C15UL) >> 20;
}

static inline TM_SAFE struct entry STM_HEAP *STM_HEAP *bucket_of(long key)
{
    return &buckets[hash(key) % (unsigned long)g_buckets];
}

static void set_init(long range)
{
    g_buckets = range / 2 > 0 ? range / 2 : 1;   /* load factor 1 when half full */
    buckets = stm_alloc(sizeof(struct entry STM_HEAP *) * (size_t)g_buckets);
}

static TM_SAFE bool set_contains(long k)
{
    for (struct entry STM_HEAP *e = *bucket_of(k); e && e->key <= k; e = e->next)
        if (e->key == k)
            return e->value == value_of(k, e->version);
    return false;
}

/* Returns -1 for an insert, else the new version of the updated entry. */
static TM_SAFE long put(long k)
{
    struct entry STM_HEAP *STM_HEAP *link = bucket_of(k);
    struct entry STM_HEAP *e = *link;
    while (e && e->key < k) {
        link = &e->next;
        e = *link;
    }
    if (e && e->key == k) {
        long v = e->version + 1;
        e->version = v;
        e->value = value_of(k, v);
        return v;
    }
    struct entry STM_HEAP *n = stm_alloc(sizeof(struct entry));
    n->key = k;
    n->value = value_of(k, 0);
    n->next = e;
    *link = n;
    return -1;
}

/* Returns -1 if absent, else the version of the removed entry. */
static TM_SAFE long take(long k)
{
    struct entry STM_HEAP *STM_HEAP *link = bucket_of(k);
    struct entry STM_HEAP *e = *link;
    while (e && e->key < k) {
        link = &e->next;
        e = *link;
    }
    if (!e || e->key != k)
        return -1;
    long v = e->version;
    *link = e->next;
    stm_free(e);
    return v;
}

/* For the intset driver: > 0 when the key was added; else minus the new version. */
static TM_SAFE long set_insert(long k)
{
    long v = put(k);
    return v < 0 ? 1 : -v;
}

/* > 0 when the key was removed: then 1 + the version it had. */
static TM_SAFE long set_remove(long k)
{
    return take(k) + 1;
}

/* Summed by intset_common.h (which repeats this tentative definition). */
static long g_extra_a, g_extra_b;

/* After commit: extra_a counts puts on present keys, extra_b sums the removed versions. */
#define SET_AFTER(w, op, k, r)                                                 \
    do {                                                                       \
        if ((op) == 'i' && (r) <= 0)                                           \
            (w)->extra_a++;                                                    \
        else if ((op) == 'r' && (r) > 0)                                       \
            (w)->extra_b += (r) - 1;                                           \
    } while (0)

static bool set_members(unsigned char *member, long range, char *why, size_t n)
{
    long versions = 0;
    for (long b = 0; b < g_buckets; b++) {
        long last = -1;
        for (struct entry STM_HEAP *e = buckets[b]; e; e = e->next) {
            if (e->key <= last || e->key >= range || bucket_of(e->key) != &buckets[b]) {
                snprintf(why, n, "chain %ld broken at key %ld", b, e->key);
                return false;
            }
            if (e->value != value_of(e->key, e->version)) {
                snprintf(why, n, "key %ld has value %ld, version %ld", e->key, e->value,
                         e->version);
                return false;
            }
            member[e->key] = 1;
            versions += e->version;
            last = e->key;
        }
    }
    if (versions + g_extra_b != g_extra_a) {
        snprintf(why, n, "versions %ld + removed %ld != updates %ld", versions, g_extra_b,
                 g_extra_a);
        return false;
    }
    return true;
}

static void set_destroy(void)
{
    for (long b = 0; b < g_buckets; b++) {
        struct entry STM_HEAP *e = buckets[b];
        while (e) {
            struct entry STM_HEAP *next = e->next;
            stm_free(e);
            e = next;
        }
    }
    stm_free(buckets);
}

#include "intset_common.h"

int main(int argc, char **argv)
{
    return set_main(argc, argv, 16384, 4000000, 20);
}
