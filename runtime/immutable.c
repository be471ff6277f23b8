/* runtime/immutable.c - _stm_write_immutable: the write barrier of a store to an STM_IMMUTABLE
 * field (stmc/abi.def), and the debug mode's check behind it.
 *
 * The contract of STM_IMMUTABLE: reads need no read barrier, so a field may only be written
 * while no other transaction can see the object, i.e. by the transaction that allocated it.
 * With STM_DEBUG=1 every such store checks that its bytes lie inside an object allocated by
 * the running transaction; without it the store is an ordinary write (unchecked).
 *
 * "Allocated by the running transaction" is read from the write set: stm_alloc puts every
 * granule of a new object there tagged WS_FRESH (alloc.c), and nothing else does.  A per-
 * segment hash set of those granules is built incrementally from the write set (entries are
 * only appended while a transaction runs, or dropped from its end: fresh_set_truncate), so a
 * check costs O(1) amortised; the set is
 * dropped when the segment's transaction changes (its commit + abort count moves, or the
 * write set shrank).  With fresh frees (the default) the object's state byte is checked too:
 * memory this transaction freed can reach another segment before it ends.  Only the owner of
 * the segment touches its set.
 */
#include "internal.h"

#include <stdlib.h>

struct fresh_set {
    uint64_t txid;    /* commits + aborts of the segment when the set was built */
    size_t scanned;   /* write-set entries [0, scanned) are in the set */
    uint64_t *tab;    /* open addressing: granule index + 1; 0 = empty */
    size_t cap, n;    /* cap: a power of two, or 0 (not allocated) */
};
static struct fresh_set g_fresh[MAX_SEGMENTS + 1];

static inline size_t slot_of(uint64_t g, size_t cap)
{
    return (size_t)((g * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

static void set_insert(struct fresh_set *fs, uint64_t g);

static void set_grow(struct fresh_set *fs)
{
    uint64_t *old = fs->tab;
    size_t oldcap = fs->cap;
    fs->cap = oldcap ? oldcap * 2 : 1024;
    fs->tab = rt_calloc(fs->cap, sizeof *fs->tab);
    if (!fs->tab)
        stmc_fatal("out of memory (STM_DEBUG's set of this transaction's allocations)");
    fs->n = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i])
            set_insert(fs, old[i] - 1);
    rt_free(old);
}

static void set_insert(struct fresh_set *fs, uint64_t g)
{
    if ((fs->n + 1) * 2 > fs->cap)
        set_grow(fs);
    for (size_t i = slot_of(g, fs->cap);; i = (i + 1) & (fs->cap - 1)) {
        if (fs->tab[i] == g + 1)
            return;
        if (!fs->tab[i]) {
            fs->tab[i] = g + 1;
            fs->n++;
            return;
        }
    }
}

static bool set_has(const struct fresh_set *fs, uint64_t g)
{
    if (!fs->cap)
        return false;
    for (size_t i = slot_of(g, fs->cap);; i = (i + 1) & (fs->cap - 1)) {
        if (fs->tab[i] == g + 1)
            return true;
        if (!fs->tab[i])
            return false;
    }
}

/* Brings segment s's set up to date with its running transaction's write set. */
static struct fresh_set *fresh_sync(struct seg *s)
{
    struct fresh_set *fs = &g_fresh[s->idx];
    uint64_t txid = SEG_TX_ENDED(s);
    if (fs->txid != txid || fs->scanned > s->wset->n) {
        if (fs->cap > 1024) { /* a big transaction's table: do not clear it every time */
            rt_free(fs->tab);
            fs->tab = NULL;
            fs->cap = 0;
        } else if (fs->cap) {
            memset(fs->tab, 0, fs->cap * sizeof *fs->tab);
        }
        fs->n = 0;
        fs->scanned = 0;
        fs->txid = txid;
    }
    for (size_t i = fs->scanned; i < s->wset->n; i++)
        if (s->wset->v[i] & WS_FRESH)
            set_insert(fs, s->wset->v[i] & ~WS_FRESH);
    fs->scanned = s->wset->n;
    return fs;
}

/* The write set of s's transaction dropped its entries from n on (a pop or a compaction,
 * alloc.c): the entries appended there next are not in the set yet.  (The dropped granules may stay in the
 * set: they are free and their write markers cleared, which allocated_here tests first.) */
void fresh_set_truncate(struct seg *s, size_t n)
{
    struct fresh_set *fs = &g_fresh[s->idx];
    if (fs->scanned > n)
        fs->scanned = n;
}

/* True when every granule of [a, a+n) belongs to an object allocated by s's transaction. */
static bool allocated_here(struct seg *s, uint64_t a, uint64_t n)
{
    uint64_t g = a >> STMC_GRANULE_SHIFT, last = (a + n - 1) >> STMC_GRANULE_SHIFT;
    /* Cheap first: the transaction wrote every fresh granule (stm_alloc zeroed it). */
    for (uint64_t k = g; k <= last; k++)
        if (*wmark(s, k) != s->version)
            return false;
    struct fresh_set *fs = fresh_sync(s);
    for (uint64_t k = g; k <= last; k++)
        if (!set_has(fs, k))
            return false;
    /* The set keeps the granules of objects this transaction allocated and freed again (they
     * fail the marker test above), but with fresh frees such memory can reach another segment
     * before this transaction ends (a large object's pages, small objects through the pool),
     * and once this transaction has written that segment's object the markers pass: the
     * object's state byte (OBJ_FRESH + segment until the commit) says whose it is.  Without
     * fresh frees the memory cannot change hands before the commit, and objects are never in
     * that state. */
    if (!g_flags.NO_FRESH_FREE)
        for (uint64_t k = g; k <= last; k++)
            if (!alloc_fresh_in(s, k << STMC_GRANULE_SHIFT))
                return false;
    return true;
}

static _Noreturn void bad_immutable_write(uint64_t a, uint64_t n, const struct _stm_site *site)
{
    static const char hint[] =
        "hint: only the transaction that stm_alloc'ed the object may set it (initialise it in "
        "that atomic block), or drop STM_IMMUTABLE from a field that changes";
    if (site && site->file && site->line)
        stmc_fatal("write to an STM_IMMUTABLE field at %s:%u of an object not allocated in this "
                   "transaction (%llu bytes at heap offset 0x%llx); %s", site->file, site->line,
                   (unsigned long long)n, (unsigned long long)a, hint);
    stmc_fatal("write to an STM_IMMUTABLE field at heap offset 0x%llx of an object not allocated "
               "in this transaction (%llu bytes; no source position: compile with -g); %s",
               (unsigned long long)a, (unsigned long long)n, hint);
}

EXPORT void _stm_write_immutable(uint64_t a, uint64_t n, const struct _stm_site *site)
{
    struct seg *s = tx_ensure_running();
    if (s->atomic_depth > 0)
        tx_check_frame(s);
    check_range(a, n, site, "write");
    if (!n)
        return;
    if (UNLIKELY(g_flags.DEBUG) && !allocated_here(s, a, n))
        bad_immutable_write(a, n, site);
    mark_write(s, a, n, false);
}
