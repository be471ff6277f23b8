/* runtime/log.c - the commit log and validation.
 *
 * The log is a singly linked list of entries {seq, written granules}, oldest first, under
 * g_lock.  A segment's last_seen points at the newest entry it has imported.  Validation walks
 * the entries after last_seen: a granule that the running transaction marked read (rmark ==
 * its version) is a conflict; otherwise, when the granule's page is private in the segment,
 * the committed bytes are copied in (pages that are still shared show segment 0 live).
 * Entries are freed once every segment has seen them; an idle segment that lags more than
 * STM_LOG_MAX entries is marked to drop its private pages at its next start instead.
 */
#include "internal.h"

#include <stdlib.h>

/* Commit-log entries are recycled (unless STM_NO_LOG_RECYCLE=1) by the segment that made
 * them: the committer that trims the log keeps its own dead entries in its segment's cache
 * (owner only, no lock) and hands the others back to their segments' return lists (a chain
 * pushed by compare-and-swap, taken whole by the owner when its cache is empty).  (When the
 * trimmer kept every dead entry, up to 64, hashmap at 2 threads malloc'd and freed one entry
 * in six, 4.5% of its time with the futex wake-ups of malloc's arena lock; with 256, one in
 * twenty: one thread's cache ran dry while the other's overflowed.)  A segment thus holds at
 * most the entries it had in the log at once.  Entries of more than LOG_CACHE_MAX_CAP
 * granules are freed, not kept (24 bytes a granule). */
#define LOG_CACHE_MAX_CAP 1024
#define LOG_MIN_CAP 8
#define LOG_TRIM_BATCH 32        /* trim once the log holds this many entries */

/* Not static: the compiler may split a static struct into separate variables (it did dq's). */
STMC_LINE struct commit_state g_cs;

void log_setup(void)
{
    struct log_entry *e = calloc(1, sizeof *e);
    if (!e)
        stmc_fatal("out of memory (commit log)");
    g_cs.log_head = g_cs.tail = e;
    g_cs.trim_seq = LOG_TRIM_BATCH;
    for (int i = 1; i <= g_nseg; i++)
        set_last_seen(&g_seg[i], e);
}

struct log_entry *log_prepare(struct seg *s)
{
    size_t n = s->wset.n;
    struct log_entry *e = NULL;
    if (!g_flags.NO_LOG_RECYCLE) {
        if (!s->log_cache && __atomic_load_n(&s->log_returned, __ATOMIC_RELAXED))
            s->log_cache = __atomic_exchange_n(&s->log_returned, NULL, __ATOMIC_ACQUIRE);
        if (s->log_cache) {
            e = s->log_cache;
            s->log_cache = e->next;
            if (e->cap >= n) {
                STAT(s, log_recycled);
            } else {
                free(e);
                e = NULL;
            }
        }
    }
    if (!e) {
        size_t cap = n < LOG_MIN_CAP ? LOG_MIN_CAP : n;
        if (cap > UINT32_MAX)
            stmc_fatal("commit log entry of %zu granules: too large", n);
        e = malloc(sizeof *e + cap * (sizeof(uint64_t) + STMC_GRANULE));
        if (!e)
            stmc_fatal("out of memory (commit log entry of %zu granules)", n);
        e->cap = (uint32_t)cap;
        e->seg = (uint32_t)s->idx;
    }
    e->next = NULL;
    /* The values are final: the transaction writes no more.  So are the write markers: they
     * are cleared here (tx_finish's job otherwise), in the same pass. */
    const uint64_t *w = s->wset.v;
    uint64_t *eg = e->g;
    unsigned char *val = entry_values(e);
    const char *mine = s->base;
    uint8_t *wm = wmark(s, 0), version = s->version; /* locals: the marker stores may alias */
    bool skip_dead = s->fresh_freed; /* leave out objects freed by the tx that allocated them */
    bool clear = !g_flags.NO_WMARK_CLEAR;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t g = w[i] & ~WS_FRESH;
        if (skip_dead && wm[g] != version) /* ws_dead */
            continue;
        if (clear)
            wm[g] = 0;
        eg[k] = g;
        memcpy(val + k * STMC_GRANULE, mine + (g << STMC_GRANULE_SHIFT), STMC_GRANULE);
        k++;
    }
    e->n = (uint32_t)k;
    return e;
}

/* dead.stop is only compared, never read: by now it may be trimmed and recycled by another
 * commit. */
void log_free(struct seg *s, struct log_range dead)
{
    bool keep = !g_flags.NO_LOG_RECYCLE;
    struct log_entry *head[MAX_SEGMENTS + 1], *last[MAX_SEGMENTS + 1];
    uint64_t others = 0; /* bit i - 1: head[i] holds a chain for segment i */
    for (struct log_entry *list = dead.first; list != dead.stop;) {
        struct log_entry *next = list->next;
        unsigned i = list->seg;
        if (!keep || i == 0 || list->cap > LOG_CACHE_MAX_CAP) {
            free(list);
        } else if (i == (unsigned)s->idx) {
            list->next = s->log_cache;
            s->log_cache = list;
        } else {
            if (!(others & (1ULL << (i - 1)))) {
                others |= 1ULL << (i - 1);
                last[i] = list;
                list->next = NULL;
            } else {
                list->next = head[i];
            }
            head[i] = list;
            STAT(s, log_handed_back);
        }
        list = next;
    }
    while (others) {
        unsigned i = (unsigned)__builtin_ctzll(others) + 1;
        others &= others - 1;
        struct seg *o = &g_seg[i];
        struct log_entry *old = __atomic_load_n(&o->log_returned, __ATOMIC_RELAXED);
        do
            last[i]->next = old;
        while (!__atomic_compare_exchange_n(&o->log_returned, &old, head[i], true,
                                            __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    }
}

void log_append(struct seg *s, struct log_entry *e)
{
    e->seq = g_cs.tail->seq + 1;
    __atomic_store_n(&g_cs.tail->next, e, __ATOMIC_RELEASE);
    g_cs.tail = e;
    set_last_seen(s, e);
    STAT(s, log_entries);
}

/* Unlink the entries every segment has imported.  With recycling (the default) the work is
 * done once per LOG_TRIM_BATCH commits, and an idle segment with no private page is moved to
 * the tail instead of pinning the log: importing into it would copy nothing (validation copies
 * only into private pages), and while it holds no snapshot nothing can make a page private in
 * it (committers privatise only in segments that hold one, its owner only while running; a
 * start that races with this either stored snap before the trimmer's lock, so the trim skips
 * it, or sees g_gen odd and waits for the trim to end).  STM_NO_LOG_RECYCLE=1: every commit. */

struct log_range log_trim(void)
{
    bool lazy = !g_flags.NO_LOG_RECYCLE;
    struct log_range none = {NULL, NULL};
    if (!log_trim_due())
        return none;
    struct log_entry *tail = g_cs.tail;
    if (lazy) {
        for (int i = 1; i <= g_seg_hi; i++) {
            struct seg *s = &g_seg[i];
            if (s->last_seen == tail || __atomic_load_n(&s->snap, __ATOMIC_SEQ_CST))
                continue;
            if (__atomic_load_n(&s->priv_count, __ATOMIC_RELAXED) == 0) {
                set_last_seen(s, tail);
                STAT(s, log_fast_forward);
            } else if (!s->owned) {
                /* No thread holds it: drop its private pages at its next start (as a lag
                 * reset does) rather than keep the log for it. */
                set_last_seen(s, tail);
                __atomic_store_n(&s->reset_pending, 1, __ATOMIC_RELEASE);
                STAT(s, log_fast_forward);
            }
        }
    }
    if (tail->seq - g_cs.log_head->seq > (uint64_t)g_flags.LOG_MAX) {
        uint64_t keep = tail->seq - (uint64_t)g_flags.LOG_MAX / 2;
        for (int i = 1; i <= g_seg_hi; i++) {
            struct seg *s = &g_seg[i];
            if (__atomic_load_n(&s->last_seen, __ATOMIC_RELAXED)->seq >= keep)
                continue;
            if (__atomic_load_n(&s->snap, __ATOMIC_SEQ_CST)) {
                /* It holds its snapshot (maybe idle between transactions): ask it to let go
                 * at its next safe point outside an atomic block. */
                __atomic_store_n(&s->hdr->yield, 1, __ATOMIC_RELAXED);
            } else {
                set_last_seen(s, tail);
                __atomic_store_n(&s->reset_pending, 1, __ATOMIC_RELEASE);
                STAT(s, lag_resets);
            }
        }
    }
    /* The new head is the oldest entry a segment still points at.  The log's seqs are
     * consecutive, so its length follows; the dead entries are walked by log_free after the
     * lock (the walk missed the cache on every entry: two thirds of a hashmap trim's time at 2
     * threads was spent there, while the other thread waited for the lock). */
    struct log_entry *keep = tail;
    for (int i = 1; i <= g_seg_hi; i++) {
        struct log_entry *seen = __atomic_load_n(&g_seg[i].last_seen, __ATOMIC_RELAXED);
        if (seen->seq < keep->seq)
            keep = seen;
    }
    struct log_entry *old = g_cs.log_head;
    if (lazy) {
        /* A segment that is held but idle pins the log (until STM_LOG_MAX): then trim again
         * only once the log has doubled, so each commit does O(1) trimming work amortised. */
        uint64_t next = (tail->seq - keep->seq) * 2;
        if (next < LOG_TRIM_BATCH)
            next = LOG_TRIM_BATCH;
        if (next > (uint64_t)g_flags.LOG_MAX + 1)
            next = (uint64_t)g_flags.LOG_MAX + 1;
        g_cs.trim_seq = keep->seq + next;
    }
    if (keep == old)
        return none;
    g_cs.log_head = keep;
    return (struct log_range){old, keep};
}

/* Import (and with check, look for conflicts in) the entries after last_seen, up to and
 * including stop (NULL: to the end).  Without g_lock only by the owner while s holds its
 * snapshot, with check = false or before its commit takes the lock: the entries it reaches
 * through the next pointers are complete (linked with release, after their bytes) and pinned
 * by this segment's last_seen.  The bytes come from the entries, so concurrent commits (which
 * write segment 0, and privatise this segment's pages before they link their entry) cannot
 * tear an import.  Any prefix of the log is a consistent snapshot: a commit after the last
 * entry imported privatised here, before it wrote segment 0, the pages it changed. */
bool validate_upto(struct seg *s, bool check, struct log_entry *stop)
{
    bool conflict = false;
    uint8_t v = s->version;
    char *dst = s->base;
    uint64_t imported = 0;
    struct log_entry *e = s->last_seen == stop ? NULL
                          : __atomic_load_n(&s->last_seen->next, __ATOMIC_ACQUIRE);
    for (; e; e = e == stop ? NULL : __atomic_load_n(&e->next, __ATOMIC_ACQUIRE)) {
        const unsigned char *val = entry_values(e);
        for (size_t i = 0; i < e->n; i++) {
            uint64_t g = e->g[i];
            if (check && *rmark(s, g) == v)
                conflict = true;
            uint64_t off = g << STMC_GRANULE_SHIFT;
            if (__atomic_load_n(&s->priv[page_of(off)], __ATOMIC_ACQUIRE)) {
                memcpy(dst + off, val + i * STMC_GRANULE, STMC_GRANULE);
                imported++;
            }
        }
        set_last_seen(s, e);
    }
    s->st.imported_granules += imported;
    return conflict;
}
