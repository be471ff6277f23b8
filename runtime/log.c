/* runtime/log.c - the commit log and validation.
 *
 * The log is a singly linked list of entries {seq, runs of written granules, their bytes},
 * oldest first, under g_lock.  A segment's last_seen points at the newest entry it has
 * imported.  Validation walks the entries after last_seen: a granule that the running
 * transaction marked read (rmark == its version) is a conflict; otherwise, when the granule's
 * page is private in the segment, the committed bytes are copied in (pages that are still
 * shared show segment 0 live).
 * An entry is dead once every segment has imported it (its seq is below the log's head seq,
 * the oldest last_seen); once the log holds more than STM_LOG_MAX entries, an idle segment
 * that lags more than STM_LOG_MAX / 2 is marked to drop its private pages at its next start
 * instead of pinning the log (one idle with its snapshot has it let go first, by
 * tx_quiesce_idle_locked; one whose snapshot stays held is asked to yield instead).
 */
#include "internal.h"

#include <stdlib.h>
#include <sys/mman.h>

/* Commit-log entries are recycled (unless STM_NO_LOG_RECYCLE=1) by the segment that made
 * them, in the order it made them: each segment keeps its entries in a ring (log_own), and
 * log_prepare takes the oldest one once it is dead.  No thread walks dead entries: their lines
 * were last written by other threads (each entry's next pointer by the commit after it), and a
 * walk missed the cache on every one (4% of hashmap's time at 2 threads, in the trimmer while
 * it held the lock before that; when the trimmer kept the dead entries, up to 64, the other
 * thread malloc'd one entry in six, with futex wake-ups on malloc's arena lock).  A trim only
 * moves the head seq.  A segment holds at most the entries it had in the log at once; those of
 * more than LOG_KEEP_MAX_CAP granules (24 bytes a granule) are freed when dead, not kept. */
#define LOG_TRIM_BATCH 32        /* trim once the log holds this many entries */

/* Not static: the compiler may split a static struct into separate variables (it did dq's). */
STMC_LINE struct commit_state g_cs;

void log_setup(void)
{
    struct log_entry *e = rt_calloc(1, sizeof *e);
    if (!e)
        stmc_fatal("out of memory (commit log)");
    g_cs.tail = e;
    g_cs.trim_seq = LOG_TRIM_BATCH;
    for (int i = 1; i <= g_nseg; i++)
        set_last_seen(&g_seg[i], e);
}

/* log_append's rare case: s's ring is full (a tail call, so log_append saves no registers). */
void own_grow_put(struct seg *s, struct log_entry *e)
{
    struct log_own *o = &s->log_own;
    uint32_t cap = o->cap ? o->cap * 2 : 64;
    struct log_entry **v = rt_malloc(cap * sizeof *v);
    if (!v || cap <= o->cap)
        stmc_fatal("out of memory (segment %d's commit-log entries)", s->idx);
    for (uint32_t i = 0; i < o->n; i++)
        v[i] = o->v[(o->head + i) & (o->cap - 1)];
    rt_free(o->v);
    o->v = v;
    o->head = 0;
    o->cap = cap;
    own_put(o, e);
}

/* Entries of at least this many bytes are mapped, not malloc'd.  glibc serves a large request
 * by mmap, but the free of one raises its threshold to that size (up to 32 MiB), so the next
 * ones came from its arenas, which keep freed memory: a review's soak (4 threads, objects of
 * 64 KB-4 MB replaced now and then, 25 MB live) held 330 MB of malloc'd memory.  A dead mapped
 * entry goes to its segment's cache (up to LOG_MAPPED_KEEP bytes a segment; first fit) rather
 * than straight back to the kernel: a fresh mapping's pages fault in zeroed, and commits that
 * wrote 200 KB-1 MB in place ran 2.2-2.9x slower with an mmap and a munmap each (the next
 * review; with the cache as before).  16 MiB a segment ran as fast as 4 and kept 40 MB more in
 * the soak. */
#define LOG_MAP_BYTES (256u << 10)
#define LOG_MAPPED_KEEP (4u << 20)

static size_t entry_bytes(size_t cap)
{
    return sizeof(struct log_entry) + cap * (sizeof(struct log_run) + STMC_GRANULE);
}

struct log_entry *log_entry_new(struct seg *s, size_t n)
{
    size_t cap = n < LOG_MIN_CAP ? LOG_MIN_CAP : n;
    if (cap > UINT32_MAX)
        stmc_fatal("commit log entry of %zu granules: too large", n);
    size_t bytes = entry_bytes(cap);
    struct log_entry *e;
    if (bytes >= LOG_MAP_BYTES) {
        for (struct log_entry **p = &s->log_mapped; (e = *p); p = &e->next)
            if (e->cap >= cap) {
                *p = e->next;
                s->log_mapped_bytes -= entry_bytes(e->cap);
                STAT(s, log_mapped_reused);
                return e;
            }
        e = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (e == MAP_FAILED)
            e = NULL;
    } else {
        e = rt_malloc(bytes);
    }
    if (!e)
        stmc_fatal("out of memory (commit log entry of %zu granules)", n);
    e->cap = (uint32_t)cap;
    return e;
}

void log_entry_free(struct seg *s, struct log_entry *e)
{
    size_t bytes = entry_bytes(e->cap);
    if (bytes < LOG_MAP_BYTES) {
        rt_free(e);
    } else if (s->log_mapped_bytes + bytes <= LOG_MAPPED_KEEP && !g_flags.NO_LOG_RECYCLE) {
        e->next = s->log_mapped;
        s->log_mapped = e;
        s->log_mapped_bytes += bytes;
    } else {
        munmap(e, bytes);
    }
}

/* A segment's ring grows to the entries it had in the log at once, and kept them all for
 * reuse: a snapshot held long (an auditor descheduled in a read-only block, with 4 threads on
 * 2 CPUs) let bank's log reach ~1 M entries, and its 200 MB stayed after (a review's soak).
 * Beyond LOG_OWN_KEEP entries, each commit frees up to 16 dead ones. */
void log_own_shrink(struct seg *s)
{
    struct log_entry *e;
    for (int k = 0; k < 16 && s->log_own.n > LOG_OWN_KEEP && (e = own_pop_dead(s)); k++)
        log_entry_free(s, e);
}

size_t wset_fresh(const uint32_t *w, size_t n)
{
    size_t fresh = 0;
    _Static_assert(WS_FRESH == 1u << 31, "the count below takes WS_FRESH for the top bit");
    for (size_t i = 0; i < n;) { /* 32-bit sums of 2^16: four to a vector register */
        size_t end = n - i > 65536 ? i + 65536 : n;
        uint32_t f = 0;
        for (; i < end; i++)
            f += w[i] >> 31;
        fresh += f;
    }
    return fresh;
}

/* The pages that a commit of s's write set (n granules, not filled by log_fill_short) changes
 * in segment 0, but those of only its own allocations (WS_FRESH, unless STM_NO_FRESH_SKIP=1),
 * listed for privatise_others (tx.c) before the lock: privatise_others walked the whole write
 * set under it, which in a transaction that allocates much is mostly granules of its own
 * allocations (and of those it freed again), skipped there.  A first pass counts the fresh
 * entries (vectorised: trees2's write sets of 262,142 granules are all fresh), a second lists
 * the others' pages.  Dead entries count like live ones: a granule may be in the write set
 * twice, first as a dead fresh entry whose write marker is the version again (its memory
 * allocated by another segment and written here after), then as a plain one
 * (fresh_compact.c), and log_prepare's walk, which clears the marker at the first, would take
 * the second for dead. */
static __attribute__((noinline)) void cpages_list(struct seg *s, size_t n)
{
    const uint32_t *w = s->wset->v;
    uint32_t fmask = g_flags.NO_FRESH_SKIP ? 0 : WS_FRESH; /* granule x is fresh: x & fmask */
    struct u32vec *cp = &s->cpages;
    size_t fresh = fmask ? wset_fresh(w, n) : 0;
    cp->n = 0;
    s->cpages_listed = 1;
    s->cpages_fresh = fresh;
    if (fresh == n)
        return;
    uint32_t last = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        if (w[i] & fmask)
            continue;
        uint32_t p = (uint32_t)page_of((uint64_t)(w[i] & ~WS_FRESH) << STMC_GRANULE_SHIFT);
        if (p != last) {
            vec32_push(cp, p);
            last = p;
        }
    }
    s->st.commit_pages += cp->n;
}

struct log_entry *log_prepare(struct seg *s)
{
    size_t n = s->wset->n;
    struct log_entry *e = log_entry_get(s, n);
    bool skip_dead = s->fresh_freed; /* leave out objects freed by the tx that allocated them */
    bool clear = !g_flags.NO_WMARK_CLEAR, runs = !g_flags.NO_RUNS;
    s->cpages_listed = 0; /* until cpages_list: privatise_others walks the write set */
    if (LIKELY(clear && !skip_dead && n <= LOG_SHORT)) {
        log_fill_short(s, e, n, NULL);
        return e;
    }
    e->next = NULL;
    /* Only when another segment holds a snapshot now: else there is nobody to privatise in,
     * and a list cost up to ~15 instructions an entry for nothing (a first look under the lock
     * skips the walk).  A look, not a promise: a segment that announces a snapshot before the
     * lock finds the list missing, and privatise_others walks the write set as before. */
    if (!g_flags.NO_COMMIT_PAGES && other_snapshot(s))
        cpages_list(s, n);
    /* The values are final: the transaction writes no more.  So are the write markers: they
     * are cleared here (tx_finish's job otherwise), in the same pass.  Granules that follow
     * each other in the write set and in the heap form a run, copied with one memcpy (a new
     * object's granules enter the write set in order). */
    const uint32_t *w = s->wset->v;
    struct log_run *er = e->r;
    unsigned char *val = entry_values(e);
    const char *mine = s->base;
    uint8_t *wm = wmark(s, 0), version = s->version; /* locals: the marker stores may alias */
    size_t k = 0, r = 0, down = 0; /* granules, runs, descending runs */
    bool desc = !g_flags.NO_DESC_RUNS;
    if (clear && !skip_dead && runs) {
        for (size_t i = 0; i < n;) {
            uint64_t g0 = w[i] & ~WS_FRESH, len = 1;
            uint64_t next = i + 1 < n ? w[i + 1] & ~WS_FRESH : g0; /* g0: no run */
            if (LIKELY(next != g0 + 1 && next != g0 - 1)) { /* a granule alone (one test a granule) */
                wm[g0] = 0;
                er[r++] = (struct log_run){(uint32_t)g0, 1};
                copy_granule(val + (k++ << STMC_GRANULE_SHIFT), mine + (g0 << STMC_GRANULE_SHIFT));
                i++;
                continue;
            }
            if (next == g0 + 1) {
                /* 8 entries a step while they all follow on (no early exit: vectorised; a
                 * new object's or an array loop's granules: ~1 instruction a granule) */
                while (i + len + 8 <= n) {
                    uint32_t off = 0;
                    for (unsigned j = 0; j < 8; j++)
                        off |= (w[i + len + j] & ~WS_FRESH) ^ (uint32_t)(g0 + len + j);
                    if (off)
                        break;
                    len += 8;
                }
                while (i + len < n && (w[i + len] & ~WS_FRESH) == g0 + len)
                    len++;
            } else if (desc) {
                /* A loop that writes an array from its end enters the granules in descending
                 * order: the same heap range, one run (its values copied in heap order, from
                 * the segment).  g0 - len wraps past 0 to a value no entry has. */
                while (i + len < n && (w[i + len] & ~WS_FRESH) == g0 - len)
                    len++;
                g0 -= len - 1;
                down++;
            }
            if (len == 1)
                wm[g0] = 0;
            else
                memset(wm + g0, 0, len);
            er[r].g = (uint32_t)g0;
            er[r].len = (uint32_t)len;
            r++;
            copy_granules(val + (k << STMC_GRANULE_SHIFT), mine + (g0 << STMC_GRANULE_SHIFT), len);
            k += len;
            i += len;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            uint64_t g = w[i] & ~WS_FRESH;
            if (skip_dead && wm[g] != version) /* ws_dead */
                continue;
            if (clear)
                wm[g] = 0;
            if (runs && r > 0 && g == (uint64_t)er[r - 1].g + er[r - 1].len) {
                er[r - 1].len++;
            } else {
                er[r].g = (uint32_t)g;
                er[r].len = 1;
                r++;
            }
            copy_granule(val + (k << STMC_GRANULE_SHIFT), mine + (g << STMC_GRANULE_SHIFT));
            k++;
        }
    }
    e->n = (uint32_t)r;
    s->st.log_desc_runs += down;
    return e;
}

void log_unused(struct seg *s, struct log_entry *e)
{
    if (!e) /* an unlogged short commit's (tx.c) */
        return;
    if (s->log_spare)
        log_entry_free(s, s->log_spare);
    s->log_spare = e;
}

/* Move the log's head past the entries every segment has imported.  With recycling (the
 * default) this is done once per LOG_TRIM_BATCH commits, and an idle segment with no private
 * page is moved to the tail instead of pinning the log: importing into it would copy nothing
 * (validation copies only into private pages), and while it holds no snapshot nothing can make
 * a page private in it (committers privatise only in segments that hold one, its owner only
 * while running; a start that races with this either stored snap before the trimmer's lock,
 * so the trim skips it, or sees g_gen odd and waits for the trim to end).
 * STM_NO_LOG_RECYCLE=1: every commit. */

void log_trim(struct seg *self)
{
    bool lazy = !g_flags.NO_LOG_RECYCLE;
    struct log_entry *tail = g_cs.tail;
    if (lazy) {
        uint64_t now = 0;
        for (int i = 1; i <= g_seg_hi; i++) {
            struct seg *s = &g_seg[i];
            if (s->last_seen == tail || __atomic_load_n(&s->snap, __ATOMIC_SEQ_CST))
                continue;
            if (__atomic_load_n(&s->priv_count, __ATOMIC_RELAXED) == 0) {
                set_last_seen(s, tail);
                STAT(s, log_fast_forward);
            } else if (!s->owned) {
                /* No thread holds it: drop its private pages at its next start (as a lag
                 * reset does) rather than keep the log for it; but not while its thread
                 * may only be blocked for a moment (a semaphore or condition variable that
                 * another thread's commit posts gives the segment back for the wait: each
                 * wake-up then copied every page it used again, 7-20x the time of a
                 * server's hand-overs, a user found).  Such a segment pins the log until the
                 * next trim, as a held idle one does. */
                if (g_flags.UNHELD_RESET_US) {
                    if (!now)
                        now = mono_ns();
                    if (now - s->released_ns < (uint64_t)g_flags.UNHELD_RESET_US * 1000u) {
                        STAT(self, log_unheld_kept);
                        continue;
                    }
                }
                set_last_seen(s, tail);
                __atomic_store_n(&s->reset_pending, 1, __ATOMIC_RELEASE);
                STAT(s, log_fast_forward);
            }
        }
    }
    if (tail->seq - g_cs.head_seq > (uint64_t)g_flags.LOG_MAX) {
        uint64_t keep = tail->seq - (uint64_t)g_flags.LOG_MAX / 2;
        /* Lagging segments idle between transactions: let their snapshots go now (a thread
         * that never reaches a safe point never answers the yield below, and the log grew by
         * an entry a commit, without bound: 455 MB after 2 M commits), so that the loop below
         * resets them. */
        tx_quiesce_idle_locked(self, keep);
        for (int i = 1; i <= g_seg_hi; i++) {
            struct seg *s = &g_seg[i];
            if (__atomic_load_n(&s->last_seen_seq, __ATOMIC_RELAXED) >= keep)
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
    /* The new head is the oldest entry a segment still points at (its seq from the segment's
     * line: a stale value is older, which errs on the safe side; the owner only moves it
     * forward).  Nothing is walked or freed here: the entries' makers reuse them. */
    uint64_t keep = tail->seq;
    for (int i = 1; i <= g_seg_hi; i++) {
        uint64_t seen = __atomic_load_n(&g_seg[i].last_seen_seq, __ATOMIC_RELAXED);
        if (seen < keep)
            keep = seen;
    }
    if (lazy) {
        /* A segment that is held but idle pins the log (until STM_LOG_MAX): then trim again
         * only once the log has doubled, so each commit does O(1) trimming work amortised. */
        uint64_t next = (tail->seq - keep) * 2;
        if (next < LOG_TRIM_BATCH)
            next = LOG_TRIM_BATCH;
        if (next > (uint64_t)g_flags.LOG_MAX + 1)
            next = (uint64_t)g_flags.LOG_MAX + 1;
        g_cs.trim_seq = keep + next;
    }
    g_cs.head_seq = keep;
}

/* Import (and with check, look for conflicts in) the entries after last_seen, following their
 * next pointers.  Without g_lock only by the owner while s holds its snapshot, with check =
 * false or before its commit takes the lock: the entries it reaches are complete (linked with
 * release, after their bytes) and pinned by this segment's last_seen.  The bytes come from the
 * entries, so concurrent commits (which write segment 0, and privatise this segment's pages
 * before they link their entry) cannot tear an import.  Any prefix of the log is a consistent
 * snapshot: a commit after the last entry imported privatised here, before it wrote segment 0,
 * the pages it changed.  A long import stops at the tail as it was after LONG_IMPORT entries:
 * without the lock, commits may link entries as fast as it walks them (bank's auditor, whose
 * start imports thousands of entries while the other thread commits, walked on and on). */
#define LONG_IMPORT 64
/* The first conflict of a validation, for STM_CONFLICTS's report (conflicts.c): which granule,
 * and whose commit wrote it.  Out of line: the loop's conflict tests stay two instructions. */
static __attribute__((noinline, cold)) void conflict_found(struct seg *s, uint64_t g,
                                                           const struct log_entry *e)
{
    s->cf_g = g;
    s->cf_by = e->site;
}
/* Where a smallest entry's values start (its cap is LOG_MIN_CAP): the first values of most
 * entries of short transactions, which are recycled entries of that size. */
#define MIN_ENTRY_VALUES (sizeof(struct log_entry) + LOG_MIN_CAP * sizeof(struct log_run))
bool log_import(struct seg *s, bool check)
{
    bool conflict = false, prefetch = !g_flags.NO_IMPORT_PREFETCH;
    uint8_t v = s->version;
    char *dst = s->base;
    uint64_t imported = 0, prefetched = 0;
    struct log_entry *stop = NULL;
    unsigned walked = 0;
    struct log_entry *e = __atomic_load_n(&s->last_seen->next, __ATOMIC_ACQUIRE);
    for (; e; e = e == stop ? NULL : __atomic_load_n(&e->next, __ATOMIC_ACQUIRE)) {
        /* The entry's lines were written by another CPU, and where its values lie depends
         * on its cap, in the header: read in turn, that is two misses.  Ask for the lines of
         * a smallest entry's first 4 values (64 bytes, at most two lines) now, while the
         * header comes in (hashmap at 2 threads: 0.95x the time). */
        if (prefetch) {
            __builtin_prefetch((const char *)e + MIN_ENTRY_VALUES);
            __builtin_prefetch((const char *)e + MIN_ENTRY_VALUES + 4 * STMC_GRANULE - 1);
            prefetched++;
        }
        const unsigned char *val = entry_values(e);
        for (size_t i = 0; i < e->n; i++) {
            uint64_t g = e->r[i].g, end = g + e->r[i].len;
            if (LIKELY(end - g == 1)) { /* most runs: the loop below without its tests */
                if (check && *rmark(s, g) == v && !conflict) {
                    conflict = true;
                    conflict_found(s, g, e);
                }
                uint64_t off = g << STMC_GRANULE_SHIFT;
                if (__atomic_load_n(&s->priv[page_of(off)], __ATOMIC_ACQUIRE)) {
                    memcpy(dst + off, val, STMC_GRANULE);
                    imported++;
                }
                val += STMC_GRANULE;
                continue;
            }
            const uint8_t *hit;
            if (check && !conflict && (hit = memchr(rmark(s, g), v, end - g))) {
                conflict = true;
                conflict_found(s, g + (uint64_t)(hit - rmark(s, g)), e);
            }
            /* page by page: the bytes go only where the page is private */
            while (g < end) {
                uint64_t stop_g = page_part_end(g, end);
                uint64_t off = g << STMC_GRANULE_SHIFT, cnt = stop_g - g;
                if (__atomic_load_n(&s->priv[page_of(off)], __ATOMIC_ACQUIRE)) {
                    copy_granules(dst + off, val, cnt);
                    imported += cnt;
                }
                val += cnt << STMC_GRANULE_SHIFT;
                g = stop_g;
            }
        }
        set_last_seen(s, e);
        if (++walked == LONG_IMPORT && !stop) /* linked by now: e or a later entry */
            stop = __atomic_load_n(&g_cs.tail, __ATOMIC_ACQUIRE);
    }
    s->st.imported_granules += imported;
    s->st.import_prefetches += prefetched;
    return conflict;
}
