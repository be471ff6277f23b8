/* runtime/tx.c - transactions: start, commit, abort, validation points, the inevitable token,
 * implicit transactions, atomic-block frames and the test hooks.
 *
 * One global lock (g_lock) orders commits.  A transaction sees a frozen snapshot: pages it
 * has not written are shared with segment 0, and a committer makes each page it is about to
 * change private in every other running segment before it copies its writes into segment 0.
 * Readers validate (at start, commit, become_inevitable, stm_validate) against the commit log:
 * the committer always wins.
 */
#include "internal.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Test hooks (_stm_test_pause_commit, _stm_test_pause_commit_linked): called by the next
 * commit under g_lock, between writing segment 0 and linking its log entry (before), and after
 * linking it (after).  g_test_pausing: one of them is set (the only load on the commit path). */
static STMC_LINE volatile bool g_test_pausing;
static void (*g_test_pause_before)(void *), (*g_test_pause_after)(void *);
static void *g_test_pause_before_arg, *g_test_pause_after_arg;

static __attribute__((noinline)) void test_pause_and_link(struct seg *s, struct log_entry *e)
{
    void (*before)(void *) = g_test_pause_before, (*after)(void *) = g_test_pause_after;
    g_test_pause_before = g_test_pause_after = NULL;
    g_test_pausing = false;
    if (before)
        before(g_test_pause_before_arg);
    log_append(s, e);
    if (after)
        after(g_test_pause_after_arg);
}

static __attribute__((noreturn)) void tx_longjmp(_stm_jmp_buf *b); /* the abort's longjmp */
/* AddressSanitizer's, where it is linked in (tx_abort) */
__attribute__((weak, visibility("default"))) void __asan_handle_no_return(void);

static inline bool self_owns(struct seg *s)
{
    return s && s->owned && pthread_equal(s->owner, pthread_self());
}

struct seg *cur_seg(void)
{
    return t_ts.seg ? t_ts.seg : seg_acquire();
}

/* Under g_lock: one round of an implicit start's wait during the holder's slice, of which
 * spent ns have passed: with the lock let go, a spin, or for a slice longer than 50 us a sleep
 * until near its end (1 ms at most).  Not wait_locked's back-off, whose sched_yield put the
 * waiter behind every other runnable thread: on a loaded host it asked a timeslice late,
 * several ms, at each turn (two threads passing a turn through the heap outside blocks:
 * 17-18 s for 2,000 turns with one CPU-bound process beside them, against 0.04 s alone). */
static void wait_slice(uint64_t spent)
{
    uint64_t slice = (uint64_t)g_flags.IMPLICIT_SLICE_US * 1000u;
    unlock();
    if (spent + 50000 < slice) {
        uint64_t ns = slice - spent - 25000;
        struct timespec ts = {0, (long)(ns < 1000000 ? ns : 1000000)};
        syscall(SYS_nanosleep, &ts, NULL); /* (no cancellation point: see wait_locked) */
    } else {
        for (int i = 0; i < 64; i++)
            __builtin_ia32_pause();
    }
    lock();
}

/* Under g_lock: wait until the token holder (another segment) is done.  counted: count this
 * waiter in g_commit_waiters, so that implicit transactions let it go first; otherwise (an
 * implicit start) in g_token_waiters, so that the holder, once it has let the token go at a
 * safe point, lets this one have it before it takes it again. */
/* A thread that has waited 1 s for the token: its holder runs a long inevitable block or long
 * code outside blocks, or waits for this very thread (a block that became inevitable and then
 * locks a mutex this thread holds, joins it or reads a pipe it writes: a deadlock, which the
 * --no-stm build does not have; a review's programs hung silently).  Say so, once a process.
 * (An implicit transaction's stm_alloc that sweeps a full heap for room holds the token up to
 * 1 s too: the text for that holder names both.) */
static void token_wait_long(uint64_t *t0, const struct seg *holder)
{
    static bool told;
    if (!wait_first_second(t0, &told))
        return;
    if (__atomic_load_n(&holder->implicit, __ATOMIC_RELAXED))
        stmc_warn("a thread has waited 1 s for code outside atomic blocks in another thread, "
                  "which holds the inevitable token (heap code outside blocks and every commit "
                  "wait for it) for as long as it runs without a safe point: a loop that calls "
                  "nothing and touches no heap has none (end the implicit transaction before a "
                  "long computation: an external call or an atomic fence does), and neither "
                  "has an allocation that looks for room in a full heap (up to 1 s)");
    else
        stmc_warn("a thread has waited 1 s for an inevitable atomic block (one that made a C "
                  "library call) in another thread to end: heap code outside blocks and every "
                  "commit wait for it; if that block waits for this thread (a mutex it holds, "
                  "a join, a pipe it writes), this is a deadlock: wait outside the block");
}

static void wait_token_locked(struct seg *s, bool counted)
{
    bool waited = false, asked = counted || !g_flags.IMPLICIT_SLICE_US;
    unsigned round = 0;
    uint64_t t0 = 0, now = 0, long_t0 = 0;
    while (g_inevitable && g_inevitable != s) {
        token_wait_long(&long_t0, g_inevitable);
        if (self_owns(g_inevitable))
            stmc_fatal("deadlock: this thread holds the inevitable token in segment %d and waits "
                       "for it in segment %d", g_inevitable->idx, s->idx);
        if (!asked) {
            /* An implicit start lets the holder run for the slice before it asks (as a GIL's
             * switch interval): two threads writing the heap outside blocks took turns of one
             * loop iteration each, a commit and an import a turn, when each asked at once.
             * Not a holder whose implicit transaction has written nothing yet (its owner's
             * fields, read racily: a hint), whose end costs nothing: one thread polling the
             * heap outside blocks held every other's implicit start up for the slice. */
            struct seg *h = g_inevitable;
            now = mono_ns();
            if (!t0)
                t0 = now;
            if (__atomic_load_n(&h->implicit, __ATOMIC_RELAXED) &&
                __atomic_load_n(&h->wset->n, __ATOMIC_RELAXED) == 0) {
                asked = true;
            } else if (now - t0 >= (uint64_t)g_flags.IMPLICIT_SLICE_US * 1000u) {
                asked = true;
                STAT(s, implicit_slice_waits); /* the holder had its whole slice */
            }
        }
        if (asked)
            __atomic_store_n(&g_inevitable->hdr->yield, 1, __ATOMIC_RELAXED);
        waited = true;
        int *waiters = counted ? &g_commit_waiters : &g_token_waiters;
        (*waiters)++;
        if (asked)
            wait_locked(&round);
        else
            wait_slice(now - t0);
        (*waiters)--;
    }
    if (waited)
        STAT(s, inevitable_waits);
}

/* Marking versions are 2..254 (0 and 1 are STMC_VERSION_INACTIVE_R and _UNMARKED). */
#define FIRST_VERSION 2

/* next_version's rare cases: the first version, and the wrap after 254. */
static __attribute__((noinline)) unsigned version_wrap(struct seg *s, unsigned v)
{
    if (v > 254)
        seg_wrap_markers(s);
    return FIRST_VERSION;
}

static inline uint8_t next_version(struct seg *s)
{
    unsigned v = s->version + 1u;
    if (UNLIKELY(v - FIRST_VERSION > 254 - FIRST_VERSION)) /* v < 2 or v > 254, one test */
        v = version_wrap(s, v);
    s->version = (uint8_t)v;
    return (uint8_t)v;
}

/* Unmarked read-only attempts.  An atomic block may start without read markers (RV =
 * STMC_VERSION_UNMARKED, WV = inactive): it sees the frozen snapshot of its start, so as long
 * as it only reads it needs no validation, and it commits as read-only.  Its first write (or
 * allocation, free, inevitability) aborts it and it runs again with markers (tx_upgrade).
 * Which blocks try: each thread keeps a hint per block, indexed by a hash of the block's call
 * site (collisions only cost speed): runs = how many more runs start with markers (0: try
 * unmarked), backoff = how many after the next failed attempt.  A failed attempt doubles the
 * backoff (4, 8, .. 1024); an attempt that commits read-only halves it.  A block that nearly
 * always writes thus fails one attempt in 1025 runs; one that rarely writes stays unmarked.
 * (With 128 at the most, square_roots lost one 27 us transaction in 129 to failed attempts,
 * 1.3% of its time; a block that stops writing now takes up to 1024 marked runs to try.) */
#define HINT_SLOTS 256
#define HINT_FIRST_BACKOFF 4
#define HINT_MAX_BACKOFF 1024
struct hint {
    uint16_t runs, backoff;
};
static STMC_TLS struct hint t_hints[HINT_SLOTS];

/* The atomic block of s's transaction commits: an unmarked attempt that got through halves its
 * block's backoff. */
static void hint_committed(struct seg *s)
{
    if (s->hint && s->unmarked)
        s->hint->backoff >>= 1;
    s->hint = NULL;
}

_Noreturn void tx_upgrade(struct seg *s)
{
    struct hint *h = s->hint;
    if (h) {
        h->backoff = h->backoff == 0 ? HINT_FIRST_BACKOFF
                     : h->backoff >= HINT_MAX_BACKOFF / 2 ? HINT_MAX_BACKOFF
                                                          : (uint16_t)(h->backoff * 2);
        h->runs = h->backoff;
    }
    STAT(s, unmarked_upgrades);
    tx_abort(s, ABORT_UPGRADE);
}

/* The fast start's announcement (below): snap = 1, then wait out a locked section in flight.
 * false: take the locked path instead (STM_NO_START_WAIT). */
static bool announce(struct seg *s)
{
    __atomic_store_n(&s->snap, 1, __ATOMIC_SEQ_CST);
    uint64_t gen = __atomic_load_n(&g_gen, __ATOMIC_SEQ_CST);
    if (!(gen & 1))
        return true;
    if (g_flags.NO_START_WAIT)
        return false;
    /* Every locked section ends or drops the lock (wait_locked): g_gen moves. */
    STAT(s, start_waits);
    for (unsigned n = 0; __atomic_load_n(&g_gen, __ATOMIC_ACQUIRE) == gen;)
        spin_backoff(&n);
    return true;
}

/* The first step of every start (tx_start_kept, tx_start_slow): running = 1 before the start
 * loads snap, the owner's half of the Dekker pair with tx_quiesce_idle_locked (whose
 * membarrier orders the two; here the compiler is only kept from moving the load up). */
static inline void mark_running(struct seg *s)
{
    __atomic_store_n(&s->running, 1, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* The end of every start: running is 1 already (mark_running). */
static inline void started(struct seg *s, int mode)
{
    s->implicit = (mode == TX_IMPLICIT);
    if (UNLIKELY(g_flags.CONFLICTS))
        s->cf_t0 = conflicts_now();
    if (mode == TX_UNMARKED) {
        s->unmarked = 1;
        s->hdr->rv = STMC_VERSION_UNMARKED;     /* WV stays inactive: writes go slow */
        STAT(s, unmarked);
        return;
    }
    uint8_t v = next_version(s);
    struct _stm_seg_hdr *h = s->hdr; /* locals: the header's stores may alias s */
    h->rv = v;
    h->wv = v;
    ws_inline_open(s);
}

/* Under the conditions of the fast start (tx_start): bring s's snapshot up to the log's tail,
 * without the lock. */
static inline void import_to_tail(struct seg *s)
{
    if (log_has_new(s))
        log_import(s, false);
    /* The store only when it changes: reclaim scans read this line. */
    if (s->start_seq != s->last_seen_seq)
        __atomic_store_n(&s->start_seq, s->last_seen_seq, __ATOMIC_RELAXED);
}

static inline bool reshare_due(struct seg *s)
{
    return g_flags.RESHARE_PAGES > 0 && __atomic_load_n(&s->priv_count, __ATOMIC_RELAXED) >
                                            ((uint64_t)g_flags.RESHARE_PAGES << s->reshare_shift);
}

/* A reshare because s holds too many private pages (not one the log asked for).  A segment
 * that filled its threshold again within 4 transactions a page writes (or is made to copy) a
 * larger set of pages than the threshold: dropping them all would only make it copy them again,
 * a page fault and 4 KiB each (intset_rbtree's set-up with 2 M keys: 9.2 s, against 1.8 s
 * without the drops).  Its threshold doubles then, up to RESHARE_MAX_SHIFT times. */
#define RESHARE_MAX_SHIFT 6u
static void reshare_grow(struct seg *s)
{
    uint64_t now = SEG_TX_ENDED(s);
    uint64_t limit = (uint64_t)g_flags.RESHARE_PAGES << s->reshare_shift;
    if (!g_flags.NO_RESHARE_GROWTH && s->reshare_shift < RESHARE_MAX_SHIFT &&
        now - s->commits_at_reshare < 4 * limit) {
        s->reshare_shift++;
        STAT(s, reshare_growths);
    }
    s->commits_at_reshare = now;
}

/* The common start of an atomic block (inline in _stm_atomic_pre, and tx_start's first try):
 * s still holds its snapshot and nothing asks for the locked path.  false: tx_start goes on. */
static ALWAYS_INLINE bool tx_start_kept(struct seg *s, int mode)
{
    mark_running(s);
    if (!__atomic_load_n(&s->snap, __ATOMIC_RELAXED) ||
        __atomic_load_n(&s->reset_pending, __ATOMIC_ACQUIRE) || reshare_due(s))
        return false;
    STAT(s, snap_kept);
    import_to_tail(s);
    started(s, mode);
    return true;
}

/* tx_start after its first try (tx_start_kept) failed or was not allowed (not atomic). */
static void tx_start_slow(struct seg *s, int mode)
{
    /* Fast start, without g_lock: announce the snapshot (snap = 1, seq_cst), read the commit
     * seqlock g_gen (seq_cst), import the log entries up to the current tail.  Dekker with
     * committers, which make g_gen odd (seq_cst) and then read the snap flags: a committer
     * whose odd store comes after this start's load of g_gen sees snap, so it privatises the
     * pages it is about to change here before it writes segment 0; this start does not see
     * its writes (until it imports its entry).  If the load finds g_gen odd, the section in
     * flight may have read the flags before the store: wait until g_gen moves (that section
     * has ended, its entry is in the log), then import up to the tail, which includes it.  The
     * imports copy from the entries, so commits running meanwhile cannot tear them, and no
     * second look at g_gen is needed.  (Before the entries carried their bytes, imports read
     * segment 0 and a start retried whenever g_gen moved: at 16 threads most starts of the
     * short-transaction examples then took the lock.)
     * A segment keeps its snapshot between transactions (snap stays 1 until tx_quiesce): then
     * every commit since the announcement privatised pages here before writing segment 0, a
     * page still shared shows no commit since, and importing up to the tail is the whole
     * start: no store to a line that committers read, no load of g_gen, no wait. */
    mark_running(s);
    bool atomic = mode == TX_ATOMIC || mode == TX_UNMARKED;
    if (atomic && !reshare_due(s)) {
        if (__atomic_load_n(&s->snap, __ATOMIC_RELAXED)) { /* kept, but a reset is pending */
            STAT(s, snap_kept);
        } else if (announce(s) && !__atomic_load_n(&s->reset_pending, __ATOMIC_ACQUIRE)) {
            import_to_tail(s);
            started(s, mode);
            return;
        }
        STAT(s, start_fallbacks);
    }
    lock();
    if (!atomic) {
        /* an atomic block that starts inevitable counts as a committer: it asks at once
         * (wait_token_locked), and implicit starts let it go first */
        wait_token_locked(s, mode != TX_IMPLICIT);
        /* Implicit transactions also let waiting committers through first, and other implicit
         * starters: a thread that ended its implicit transaction at a safe point because one
         * waited took the token straight back at its next heap access, while the waiter slept
         * in wait_locked (two threads outside blocks handing a turn to each other through
         * the heap stalled for seconds, or for good). */
        unsigned round = 0;
        while (mode == TX_IMPLICIT && (g_commit_waiters > 0 || g_token_waiters > 0) &&
               !g_inevitable) {
            wait_locked(&round);
            wait_token_locked(s, false);
        }
    }
    bool full = reshare_due(s);
    if (s->reset_pending || full) {
        if (full)
            reshare_grow(s);
        seg_reshare(s);
        s->reset_pending = 0;
        set_last_seen(s, g_cs.tail);
    } else {
        validate_locked(s, false);
    }
    s->start_seq = g_cs.tail->seq;
    __atomic_store_n(&s->snap, 1, __ATOMIC_RELAXED); /* committers read it under the lock */
    if (!atomic) {
        g_inevitable = s;
        s->inevitable = 1;
        STAT(s, inevitable);
    }
    unlock();
    started(s, mode);
}

void tx_start(struct seg *s, int mode)
{
    if ((mode == TX_ATOMIC || mode == TX_UNMARKED) && tx_start_kept(s, mode))
        return;
    tx_start_slow(s, mode);
}

/* Abort: restore the granules of s's write set from segment 0, coalescing runs. */
static void restore_wset(struct seg *s)
{
    const uint32_t *w = s->wset->v;
    size_t n = s->wset->n;
    char *seg0 = g_seg[0].base, *mine = s->base;
    for (size_t i = 0; i < n;) {
        uint64_t g0 = w[i] & ~WS_FRESH, len = 1;
        while (i + len < n && (w[i + len] & ~WS_FRESH) == g0 + len)
            len++;
        uint64_t off = g0 << STMC_GRANULE_SHIFT;
        copy_granules(mine + off, seg0 + off, len);
        i += len;
    }
}

/* Commit: copy the log entry's granules into segment 0.  The entry holds the write set's
 * values already (without the dead granules of objects freed by the transaction that
 * allocated them), in one array: no second look at the write set and the segment. */
static ALWAYS_INLINE void publish_entry(struct seg *s, const struct log_entry *e)
{
    char *seg0 = g_seg[0].base;
    const unsigned char *val = entry_values(e), *start = val;
    const struct log_run *r = e->r;
    size_t n = e->n;  /* locals: the copies may alias */
    for (size_t i = 0; i < n; i++) {
        uint64_t len = r[i].len;
        copy_granules(seg0 + ((uint64_t)r[i].g << STMC_GRANULE_SHIFT), val, len);
        val += len << STMC_GRANULE_SHIFT;
    }
    s->st.published_granules += (uint64_t)(val - start) >> STMC_GRANULE_SHIFT;
    s->st.log_runs += n;
}

/* Under g_lock: make the pages of s's write set private in every other segment that holds a
 * snapshot.  listed: log_prepare listed them (s->cpages); else the write set is walked. */
static __attribute__((noinline)) void privatise_others(struct seg *s, bool listed)
{
    struct seg *others[MAX_SEGMENTS];
    int no = 0;
    for (int i = 1; i <= g_seg_hi; i++)
        if (&g_seg[i] != s && __atomic_load_n(&g_seg[i].snap, __ATOMIC_SEQ_CST))
            others[no++] = &g_seg[i];
    if (listed) {
        const uint32_t *p = s->cpages.v;
        size_t n = s->cpages.n;
        s->st.fresh_skip += s->cpages_fresh;
        for (size_t i = 0; i < n; i++)
            for (int j = 0; j < no; j++)
                force_private_other(others[j], p[i], s);
        return;
    }
    bool skip_fresh = !g_flags.NO_FRESH_SKIP;
    uint64_t last = UINT64_MAX;
    for (size_t i = 0; i < s->wset->n; i++) {
        uint32_t x = s->wset->v[i];
        uint64_t page = page_of((uint64_t)(x & ~WS_FRESH) << STMC_GRANULE_SHIFT);
        if ((x & WS_FRESH) && skip_fresh) {
            STAT(s, fresh_skip);
            continue;
        }
        if (page == last)
            continue;
        last = page;
        for (int j = 0; j < no; j++)
            force_private_other(others[j], page, s);
    }
}

/* Under g_lock, before a commit writes segment 0: make the pages it is about to change private
 * in every other running segment, out of line, when the first look finds another snapshot
 * (privatise_others looks again: a segment that announces its snapshot meanwhile waits for this
 * commit's end, g_gen being odd, and imports it). */
static ALWAYS_INLINE void privatise_for_commit(struct seg *s, bool listed)
{
    if (other_snapshot(s))
        privatise_others(s, listed);
}

/* Under g_lock, once segment 0 holds s's writes: e becomes the log's tail.  short: counted by
 * commits_short (stats_sum), not log_entries. */
/* Under g_lock: s linked e, an entry of more than LOG_BIG_CAP granules.  The log is trimmed
 * at this commit (commit_unlock), not after LOG_TRIM_BATCH entries: each entry lives until a
 * trim finds every segment past it, so a thread alone that rewrote a 16 MiB array in a block
 * again and again kept its last 32 entries, 16 MiB each (a review: 565 MB at the peak against
 * 18 MB for the baseline).  Trimmed now, the entry before is dead at the next commit, which
 * reuses it (log_entry_get). */
static __attribute__((noinline, cold)) void log_big_linked(struct seg *s, struct log_entry *e)
{
    if (g_flags.NO_LOG_BIG || g_flags.NO_LOG_RECYCLE) /* (the latter trims at every commit) */
        return;
    g_cs.trim_seq = e->seq;
    STAT(s, log_big_trims);
}

static ALWAYS_INLINE void link_entry(struct seg *s, struct log_entry *e, bool short_commit)
{
    if (!short_commit)
        STAT(s, log_entries);
    e->site = s->frame ? s->block_site : 0; /* (STM_CONFLICTS: whose commit a conflict met) */
    if (UNLIKELY(g_test_pausing))
        test_pause_and_link(s, e);
    else
        log_append(s, e);
    if (UNLIKELY(e->cap > LOG_BIG_CAP))
        log_big_linked(s, e);
}

/* Under g_lock: the general commit's publication (its entry prepared by log_prepare).  Inline
 * in tx_commit; commit_short has its own, which fills its entry and segment 0 in one pass. */
static ALWAYS_INLINE void publish_locked(struct seg *s, struct log_entry *e)
{
    privatise_for_commit(s, s->cpages_listed);
    publish_entry(s, e);
    link_entry(s, e, false);
}

static void run_callbacks(struct cbvec *v)
{
    /* Callbacks may register more (they run outside the transaction); take the list first. */
    struct cbvec cbs = *v;
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < cbs.n; i++)
        cbs.v[i].fn(cbs.v[i].arg);
    rt_free(cbs.v);
}

/* The atomic block of s's transaction is over (committed): no frame to return to. */
static inline void block_left(struct seg *s)
{
    s->atomic_depth = 0;
    s->frame = NULL;
    s->jb = NULL;
}

/* exit() called by an stm_on_abort callback: the attempt was rolled back and the block will not
 * run again; the exit handlers run outside it (they opened a block nested in the dead one, and
 * touching the heap there was reported as the callback's). */
void tx_abandon_block(struct seg *s)
{
    s->in_abort_cb = 0;
    block_left(s);
}

/* wmarks_cleared: log_prepare cleared the write markers already (a commit that wrote). */
static void tx_finish(struct seg *s, bool wmarks_cleared)
{
    hdr_tx_ended(s->hdr);
    /* Every write marker set by this transaction is a granule of its write set: clear them
     * now, so no stale one can equal a later version (see seg_wrap_markers). */
    if (wmarks_cleared) {
        s->st.wmark_clears += s->wset->n;
    } else if (!g_flags.NO_WMARK_CLEAR) {
        const uint32_t *w = s->wset->v;
        size_t n = s->wset->n;
        for (size_t i = 0; i < n; i++)
            *wmark(s, w[i] & ~WS_FRESH) = 0;
        s->st.wmark_clears += n;
    } else if (s->wset->n) {
        s->wmarks_dirty = 1;
    }
    s->wset->n = 0;
    s->implicit_again = 0;
    s->allocs.n = 0;
    s->allocs_published = 0;
    s->frees.n = 0;
    s->fresh_freed = 0;
    s->implicit = 0;
    s->unmarked = 0;
    if (g_flags.NO_STICKY_SNAPSHOT)
        tx_quiesce(s);
    alloc_room_check(s); /* another thread's allocation found the heap full */
}

/* In a fork child (segment.c), where s's thread does not exist: its transaction, if one runs,
 * ends without a commit or a restore (the child maps s on its own heap copy afterwards): its
 * frees are undone, its allocations leaked (alloc_forget), its callbacks dropped. */
void tx_forget(struct seg *s)
{
    alloc_forget(s);
    __atomic_store_n(&s->running, 0, __ATOMIC_RELAXED);
    s->inevitable = 0;
    if (g_inevitable == s)
        g_inevitable = NULL;
    s->hint = NULL;
    memset(&s->on_commit, 0, sizeof s->on_commit); /* (leaked) */
    memset(&s->on_abort, 0, sizeof s->on_abort);
    tx_finish(s, false);
    block_left(s);
}

/* Before a commit takes the lock: import and check the entries already in the log, as a start
 * imports them (they are complete, and pinned by last_seen), so that the locked section only
 * validates the entries linked meanwhile: each entry read there is a cache miss or two (its
 * lines were written by another CPU) that other committers wait for.  A conflict found here
 * aborts before the lock is taken. */
static __attribute__((noinline)) void prevalidate(struct seg *s, struct log_entry *e)
{
    STAT(s, prevalidations);
    if (log_import(s, true)) {
        log_unused(s, e);
        tx_abort(s, ABORT_COMMIT);
    }
}

/* A commit's lock: while another holds it, the entries linked meanwhile are imported and
 * checked here, as prevalidate does, so that the locked section validates only what was linked
 * since the last look (at 16 threads, a commit waited for ~15 others, then imported their
 * entries under the lock while the others waited in turn).  A conflict found while waiting
 * aborts without the lock.  Not for inevitable commits (they skip validation), nor with
 * STM_NO_PREVALIDATE=1 or STM_NO_WAIT_VALIDATE=1. */
static __attribute__((noinline)) void commit_lock_wait(struct seg *s, struct log_entry *e)
{
    unsigned n = 0;
    for (;;) {
        if (log_has_new(s)) {
            STAT(s, wait_validations);
            prevalidate(s, e);
        }
        if (lock_try_gen())
            return;
        spin_backoff(&n);
    }
}

/* A commit takes g_lock.  dflt (here and in commit_unlock): the short commit's case, where
 * g_commit_short holds (g_gen_lock and the default flags), so the flags need no test. */
static ALWAYS_INLINE void commit_lock(struct seg *s, struct log_entry *e, bool dflt)
{
    if (LIKELY((dflt || g_gen_lock) && lock_try_gen()))
        return;
    STAT(s, commit_lock_waits);
    if (g_gen_lock && !s->inevitable && !g_flags.NO_PREVALIDATE && !g_flags.NO_WAIT_VALIDATE)
        commit_lock_wait(s, e);
    else
        lock_slow();
}

/* The end of a commit's locked section: g_gen even again (done) and the lock released (one
 * store when g_gen is the lock word). */
static ALWAYS_INLINE void commit_release(bool dflt)
{
    if (dflt) { /* g_gen_lock */
        unlock_gen();
        return;
    }
    if (!g_gen_lock) /* else unlock() makes it even */
        __atomic_store_n(&g_gen, g_gen + 1, __ATOMIC_RELEASE);
    unlock();
}

/* Under the lock, a conflict found by a commit's validation: give up the entry and abort. */
static __attribute__((noinline, noreturn)) void commit_conflict(struct seg *s, struct log_entry *e)
{
    commit_release(false);
    log_unused(s, e);
    tx_abort(s, ABORT_COMMIT);
}

/* The end of a commit's locked section, once its entry is linked and running is 0; then the
 * deferred frees it found safe go back to the allocator. */
static ALWAYS_INLINE void commit_unlock(struct seg *s, bool dflt)
{
    alloc_reclaim_locked(s);
    if (dflt ? g_cs.tail->seq >= g_cs.trim_seq : log_trim_due())
        log_trim(s);
    s->log_dead_below = g_cs.head_seq;
    commit_release(dflt);
    if (UNLIKELY(s->reclaimed.n))
        alloc_reclaimed(s);
}

/* s's transaction wrote only objects that it allocated and freed again (temporaries): every
 * entry of its write set is fresh and every allocation freed, so every entry is dead (the
 * free reset its write marker), and it freed nothing older.  Its commit then changes nothing
 * that anyone else can see, and it commits as a read-only one: no lock, no log entry for the
 * other segments to import, no walk of the write set (trees2's blocks build and free a
 * 131,071-node tree).  Both looks are walks, the first vectorised; a transaction that wrote
 * older objects fails the first.  (A granule listed twice, a dead fresh entry whose marker is
 * set again by a later plain write, has that plain entry: not all fresh.) */
static bool temp_only(struct seg *s)
{
    return s->fresh_freed && !s->frees.n && !s->inevitable && !g_flags.NO_TEMP_COMMIT &&
           !g_flags.NO_WMARK_CLEAR && wset_fresh(s->wset->v, s->wset->n) == s->wset->n &&
           alloc_none_live(s);
}

void tx_commit(struct seg *s)
{
    bool was_implicit = s->implicit, wmarks_cleared = false;
    if (s->wset->n == 0 && s->frees.n == 0 && !s->inevitable) {
        /* Read-only: its reads were a consistent snapshot at its last validation point. */
        __atomic_store_n(&s->running, 0, __ATOMIC_RELAXED);
        STAT(s, commits_readonly);
    } else if (temp_only(s)) {
        __atomic_store_n(&s->running, 0, __ATOMIC_RELAXED);
        STAT(s, commits_temp);
        s->wset->n = 0;        /* its markers were reset by the frees: nothing to clear */
        wmarks_cleared = true;
    } else {
        struct log_entry *e = log_prepare(s); /* clears the write markers, unless the flag */
        wmarks_cleared = !g_flags.NO_WMARK_CLEAR;
        if (s->allocs.n && !g_flags.NO_FRESH_FREE)
            alloc_publish(s);
        if (!s->inevitable && !g_flags.NO_PREVALIDATE) {
            if (log_has_new(s))
                prevalidate(s, e);
        }
        commit_lock(s, e, false);
        if (!s->inevitable && g_inevitable)
            wait_token_locked(s, true);
        if (!g_gen_lock) /* with g_gen_lock, lock() made it odd */
            __atomic_store_n(&g_gen, g_gen + 1, __ATOMIC_SEQ_CST); /* odd: publishing */
        if (!s->inevitable && validate_locked(s, true))
            commit_conflict(s, e);
        publish_locked(s, e);
        if (s->frees.n)
            alloc_commit_locked(s, g_cs.tail->seq);
        __atomic_store_n(&s->running, 0, __ATOMIC_RELAXED);
        if (s->inevitable) {
            g_inevitable = NULL;
            s->inevitable = 0;
        }
        commit_unlock(s, false);
    }
    STAT(s, commits);
    if (!was_implicit)
        hint_committed(s);
    tx_finish(s, wmarks_cleared);
    s->aborts_in_row = 0;
    if (!was_implicit)
        block_left(s); /* callbacks run outside the block: a block they open is new */
    if (s->on_abort.v) {
        rt_free(s->on_abort.v);
        memset(&s->on_abort, 0, sizeof s->on_abort);
    }
    if (s->on_commit.n)
        run_callbacks(&s->on_commit);
}

/* Before a block aborted by a conflict runs again: a random number of pauses, drawn from a
 * window of BACKOFF_FIRST pauses after the first abort in a row that doubles with each further
 * one (up to BACKOFF_FIRST << BACKOFF_DOUBLINGS).  Transactions that conflicted and retry at
 * once tend to meet again; spreading their retries lets one of them finish first.  On 16 CPUs
 * intset_list at 16 threads ran in 0.82-0.84x the time (docs/design.md, "Contention"); where
 * conflicts are rare the waits are a few pauses in thousands of commits.  The segment runs no
 * transaction while it waits (it may still hold its snapshot). */
/* The next value of a segment's xorshift generator (state 0: not seeded yet, start from seed). */
static inline uint64_t seg_rand(uint64_t *state, uint64_t seed)
{
    uint64_t x = *state ? *state : seed;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

#define BACKOFF_FIRST 8u
#define BACKOFF_DOUBLINGS 6u
static __attribute__((noinline)) void abort_backoff(struct seg *s)
{
    unsigned k = s->aborts_in_row ? s->aborts_in_row - 1 : 0;
    uint64_t window = (uint64_t)BACKOFF_FIRST << (k < BACKOFF_DOUBLINGS ? k : BACKOFF_DOUBLINGS);
    uint64_t n = seg_rand(&s->backoff_rng, 0xd1b54a32d192ed03ull * (uint64_t)(s->idx + 1)) % window;
    STAT(s, backoffs);
    s->st.backoff_pauses += n;
    for (uint64_t i = 0; i < n; i++)
        __builtin_ia32_pause();
}

/* A retry of an atomic block that ran STM_LONG_ATTEMPT_US or longer before a conflict
 * aborted it (its second abort in a row at least): the block runs inevitable next instead of
 * after STM_MAX_ABORTS aborts.  A block that reads much while other threads commit to what it
 * reads rarely commits but inevitable: a review's block that read 10^6 objects and wrote
 * 1,000 back, beside a thread of short transfers, committed only after its tenth abort in
 * every undisturbed run, each attempt ~20 ms (its commits in fewer attempts were those whose
 * rival happened to be descheduled).  A short block keeps its retries (an inevitable block
 * holds up every other thread's commits while it runs). */
static __attribute__((noinline)) bool long_attempt(struct seg *s)
{
    if (mono_ns() - s->retry_ns < (uint64_t)g_flags.LONG_ATTEMPT_US * 1000u)
        return false;
    STAT(s, long_attempts);
    return true;
}

_Noreturn void tx_abort(struct seg *s, int cause)
{
    if (s->inevitable)
        stmc_fatal("internal error: an inevitable transaction aborted");
    lock();
    restore_wset(s);
    __atomic_store_n(&s->running, 0, __ATOMIC_RELAXED);
    unlock();
    alloc_undo(s);
    tx_finish(s, false);
    STAT(s, aborts);
    if (UNLIKELY(g_flags.CONFLICTS) && cause != ABORT_UPGRADE && cause != ABORT_TEST)
        conflicts_note(s, s->rmarks_stale != 0);
    switch (cause) {
    case ABORT_COMMIT: STAT(s, aborts_commit); break;
    case ABORT_INEVITABLE: STAT(s, aborts_inevitable); break;
    case ABORT_VALIDATE: STAT(s, aborts_validate); break;
    case ABORT_UPGRADE: break; /* counted as unmarked_upgrades */
    default: STAT(s, aborts_test); break;
    }
    if (cause != ABORT_UPGRADE) /* not a conflict: no step towards running inevitable */
        s->aborts_in_row++;
    if (s->aborts_in_row >= 2 && g_flags.LONG_ATTEMPT_US && s->frame && cause != ABORT_TEST &&
        cause != ABORT_UPGRADE &&
        s->aborts_in_row < (unsigned)g_flags.MAX_ABORTS && long_attempt(s))
        s->aborts_in_row = (unsigned)g_flags.MAX_ABORTS; /* the next attempt runs inevitable */
    if (s->rmarks_stale && cause != ABORT_TEST && cause != ABORT_UPGRADE) {
        /* The conflict may come from a read marker left by a version before the last wrap:
         * clear them, so the retry (and the rest of this epoch) sees only real conflicts. */
        STAT(s, aborts_stale_rmarks);
        seg_clear_markers(s, true, false);
        s->rmarks_stale = 0;
        STAT(s, rmark_lazy_resets);
    }
    if (s->on_commit.v) {
        rt_free(s->on_commit.v);
        memset(&s->on_commit, 0, sizeof s->on_commit);
    }
    if (s->on_abort.n) {
        /* Between the attempts, outside any transaction: stm_in_atomic() is false there, I/O
         * does not make the next attempt inevitable, and a heap access is reported (it joined
         * the next attempt's transaction, and I/O made it inevitable). */
        s->in_abort_cb = 1;
        run_callbacks(&s->on_abort);
        s->in_abort_cb = 0;
    }
    if (cause != ABORT_UPGRADE && cause != ABORT_TEST && !g_flags.NO_ABORT_BACKOFF)
        abort_backoff(s);
    _stm_jmp_buf *jb = s->jb;
    if (s->frame) {
        s->frame->state = 3;
        s->atomic_depth = 1;
    } else {
        s->atomic_depth = 0;
    }
    if (!jb)
        stmc_fatal("internal error: abort with no atomic block to restart");
    /* AddressSanitizer: the jump leaves the frames between here and the block, whose
     * redzones it poisoned and which never return (glibc's longjmp is intercepted for that) */
    if (__asan_handle_no_return)
        __asan_handle_no_return();
    tx_longjmp(jb);
}

void tx_become_inevitable(struct seg *s)
{
    if (s->inevitable)
        return;
    if (s->unmarked)
        tx_upgrade(s);
    lock();
    wait_token_locked(s, true);
    if (validate_locked(s, true)) {
        unlock();
        tx_abort(s, ABORT_INEVITABLE);
    }
    g_inevitable = s;
    s->inevitable = 1;
    unlock();
    STAT(s, inevitable);
}

/* s's owner, no transaction running: stop holding the snapshot.  Committers no longer
 * privatise pages here, deferred frees and the log are no longer held back for this segment,
 * and its next start announces itself again.  Called where a thread stops transacting for a
 * while (segment release, pthread_join, external calls and safe points outside atomic
 * blocks), and at every transaction end with STM_NO_STICKY_SNAPSHOT=1. */
void tx_quiesce(struct seg *s)
{
    if (s && __atomic_load_n(&s->snap, __ATOMIC_RELAXED) && !s->running) {
        __atomic_store_n(&s->snap, 0, __ATOMIC_RELEASE);
        STAT(s, quiesces);
    }
}

/* A segment other than self that holds a snapshot older than below and (by a relaxed look)
 * runs no transaction: a candidate of tx_quiesce_idle_locked. */
static inline bool idle_pinner(const struct seg *o, const struct seg *self, uint64_t below)
{
    return o != self && __atomic_load_n(&o->snap, __ATOMIC_RELAXED) &&
           __atomic_load_n(&o->start_seq, __ATOMIC_RELAXED) < below &&
           !__atomic_load_n(&o->running, __ATOMIC_RELAXED); /* a hint, checked again after */
}

/* (lock) Whether tx_quiesce_idle_locked(self, below) has a candidate now (no system call). */
bool tx_idle_pinner_locked(struct seg *self, uint64_t below)
{
    if (g_flags.NO_REMOTE_QUIESCE || !g_have_membarrier)
        return false;
    for (int i = 1; i <= g_seg_hi; i++)
        if (idle_pinner(&g_seg[i], self, below))
            return true;
    return false;
}

/* (lock) Lets go, on their behalf, the snapshots of other segments that are idle between
 * transactions and older than `below` (start_seq < below), as their owners' tx_quiesce would.
 * A segment keeps its snapshot between transactions until its thread reaches a safe point,
 * an external call or a blocking wait; a thread in a loop without safe points (the plugin
 * leaves them out of loops that call nothing and touch no heap) or blocked in code stmc does
 * not see never does, and its snapshot held back the reuse of every later free: a thread
 * replacing 1 MiB objects exhausted a 64 MiB heap with 2 MiB live.
 * Dekker with the owner's start, which stores running = 1 before it loads snap, with no fence
 * (starts are the hot path): here the stores of snap = 0 and the loads of running are put in
 * order on every CPU at once by membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), so either this
 * sees the start (running: its snapshot is given back) or the start sees snap = 0 and
 * announces itself anew (tx_start_slow).  While snap is 0 here no commit publishes (this holds
 * the lock).  Returns how many it let go; 0 without membarrier or with STM_NO_REMOTE_QUIESCE. */
int tx_quiesce_idle_locked(struct seg *self, uint64_t below)
{
    if (g_flags.NO_REMOTE_QUIESCE || !g_have_membarrier)
        return 0;
    struct seg *cand[MAX_SEGMENTS];
    int n = 0;
    for (int i = 1; i <= g_seg_hi; i++) {
        struct seg *o = &g_seg[i];
        if (!idle_pinner(o, self, below))
            continue;
        __atomic_store_n(&o->snap, 0, __ATOMIC_SEQ_CST);
        cand[n++] = o;
    }
    if (n == 0)
        return 0;
    bool fenced = membarrier_all();
    if (!fenced)
        g_have_membarrier = false; /* (a fork child that is not registered): stop trying */
    int done = 0;
    for (int k = 0; k < n; k++) {
        if (!fenced || __atomic_load_n(&cand[k]->running, __ATOMIC_SEQ_CST)) {
            __atomic_store_n(&cand[k]->snap, 1, __ATOMIC_RELAXED); /* it started meanwhile */
        } else {
            done++;
            STAT(self, quiesces_remote);
        }
    }
    return done;
}

static ALWAYS_INLINE void commit_block(struct seg *s);

void tx_end_implicit(struct seg *s)
{
    if (s && s->running && s->implicit && s->atomic_depth == 0) {
        commit_block(s); /* the short commit for 1-16 granules, as an atomic block's */
        STAT(s, commits_implicit);
    }
}

struct seg *tx_ensure_running(void)
{
    struct seg *s = cur_seg();
    if (!s->running) {
        if (UNLIKELY(s->in_abort_cb))
            stmc_fatal("an stm_on_abort callback touched the STM heap: it runs between two "
                       "attempts of the block, outside any transaction");
        tx_start(s, TX_IMPLICIT);
    }
    return s;
}

/* Best effort: an atomic block whose frame is gone (left by longjmp, or its function
 * returned without the cleanup) is found when a runtime entry runs above that frame, i.e.
 * from a shallower stack depth than the block. */
__attribute__((noinline)) void tx_check_frame(struct seg *s)
{
    if (s->frame && (char *)__builtin_frame_address(0) > (char *)s->frame)
        tx_frame_gone();
}

_Noreturn void tx_frame_gone(void)
{
    stmc_fatal("an atomic block was left by longjmp (or its frame is gone): its transaction "
               "never committed");
}

/* ---- STM_ATOMIC frames ---------------------------------------------------------------------- */
/* _stm_setjmp / tx_longjmp: setjmp and longjmp for atomic blocks (see <stmc.h>).  The
 * buffer: rbx, rbp, r12-r15, the caller's rsp after the return, the return address, and the
 * shadow-stack pointer (rdssp is a no-op, leaving 0, where shadow stacks are off; where they
 * are on, the jump pops the shadow stack back to the setjmp's frame, as glibc's longjmp
 * does).  No pointer mangling and no signal mask: the runtime changes no mask, and a block
 * whose body changes one keeps it across a retry, as with _setjmp. */
EXPORT __attribute__((naked, returns_twice)) int _stm_setjmp(_stm_jmp_buf *b)
{
    __asm__("mov %rbx, 0(%rdi)\n\t"
            "mov %rbp, 8(%rdi)\n\t"
            "mov %r12, 16(%rdi)\n\t"
            "mov %r13, 24(%rdi)\n\t"
            "mov %r14, 32(%rdi)\n\t"
            "mov %r15, 40(%rdi)\n\t"
            "lea 8(%rsp), %rdx\n\t"
            "mov %rdx, 48(%rdi)\n\t"
            "mov (%rsp), %rdx\n\t"
            "mov %rdx, 56(%rdi)\n\t"
            "xor %eax, %eax\n\t"
            "rdsspq %rax\n\t"
            "mov %rax, 64(%rdi)\n\t"
            "xor %eax, %eax\n\t"
            "ret");
}

static __attribute__((naked, noreturn)) void tx_longjmp(_stm_jmp_buf *b)
{
    __asm__("mov 64(%rdi), %rcx\n\t"
            "test %rcx, %rcx\n\t"
            "jz 3f\n\t"
            "xor %eax, %eax\n\t"
            "rdsspq %rax\n\t"
            "sub %rax, %rcx\n\t"          /* entries to pop off the shadow stack: down to */
            "shr $3, %rcx\n\t"            /* the saved one, which is _stm_setjmp's own */
            "inc %rcx\n\t"                /* return, plus that one (as glibc's longjmp) */
            "1: cmp $255, %rcx\n\t"       /* incssp pops at most 255 entries */
            "jbe 2f\n\t"
            "mov $255, %eax\n\t"
            "incsspq %rax\n\t"
            "sub $255, %rcx\n\t"
            "jmp 1b\n\t"
            "2: incsspq %rcx\n\t"
            "3: mov 0(%rdi), %rbx\n\t"
            "mov 8(%rdi), %rbp\n\t"
            "mov 16(%rdi), %r12\n\t"
            "mov 24(%rdi), %r13\n\t"
            "mov 32(%rdi), %r14\n\t"
            "mov 40(%rdi), %r15\n\t"
            "mov 48(%rdi), %rsp\n\t"
            "mov $1, %eax\n\t"
            "jmp *56(%rdi)");
}

/* The entry of an atomic block (state 0): _stm_atomic_pre's with its site record, and
 * stm_atomic's with its function | SITE_FN as the block's site (STM_CONFLICTS).  Always
 * returns 1. */
static ALWAYS_INLINE int atomic_pre(struct _stm_atomic_frame *f, uintptr_t site)
{
    struct seg *s = cur_seg();
    if (s->atomic_depth > 0) {
        /* Not f against s->frame: blocks nested in one function get stack slots in any
         * order.  This frame is below every live frame of the caller chain. */
        tx_check_frame(s);
        s->atomic_depth++;
        f->nested = 1;
        f->state = 1;
        return 1;
    }
    if (s->running) {
        if (!s->implicit)
            stmc_fatal("STM_ATOMIC entered while a test transaction runs in segment %d", s->idx);
        tx_end_implicit(s);
    }
    s->frame = f;
    s->jb = &f->jb;
    s->atomic_depth = 1;
    s->aborts_in_row = 0; /* (retry_ns: set at each of a block's retries, before it is read) */
    s->block_site = site;
    s->hint = &t_hints[(site ^ (site >> 8)) & (HINT_SLOTS - 1)];
    int mode = TX_ATOMIC;
    if (g_flags.MAX_ABORTS == 0)
        mode = TX_INEVITABLE;
    else if (s->hint->runs > 0)
        s->hint->runs--;
    else if (!g_flags.NO_UNMARKED)
        mode = TX_UNMARKED;
    if (mode == TX_INEVITABLE || !tx_start_kept(s, mode))
        tx_start_slow(s, mode); /* not tx_start: it would try tx_start_kept again */
    f->nested = 0;
    f->state = 1;
    return 1;
}

/* STM_ATOMIC calls this once, as it enters the block (state 0); it ignores the result.  A
 * compiler without statement expressions passes no site record. */
EXPORT int _stm_atomic_pre(struct _stm_atomic_frame *f, const struct _stm_block_site *site)
{
    static const struct _stm_block_site unknown = {"?", "an atomic block without its site", 0};
    return atomic_pre(f, (uintptr_t)(site ? site : &unknown));
}

EXPORT int _stm_atomic_body(struct _stm_atomic_frame *f)
{
    if (f->state == 1)
        return 1;
    if (f->state == 3) {
        struct seg *s = t_ts.seg;
        int mode = TX_ATOMIC;
        if (s->aborts_in_row >= (unsigned)g_flags.MAX_ABORTS) {
            mode = TX_INEVITABLE;
            STAT(s, inevitable_retries);
        } else if (g_flags.LONG_ATTEMPT_US) {
            s->retry_ns = mono_ns();
        }
        tx_start(s, mode);
        f->state = 1;
        return 1;
    }
    return 0;
}

/* STM_INJECT_ABORTS=N: whether this block end aborts (probability 1/N, a xorshift per
 * segment seeded by its index, so a single-threaded run is repeatable). */
static __attribute__((noinline)) bool inject_abort_due(struct seg *s)
{
    if (s->inevitable)
        return false;
    uint64_t x = seg_rand(&s->inject_rng, 0x9e3779b97f4a7c15ull * (uint64_t)s->idx);
    return x % (uint64_t)g_flags.INJECT_ABORTS == 0;
}

/* The commit of most short atomic blocks (STM_NO_COMMIT_SHORT=1: tx_commit's general path):
 * a write set of 1..COMMIT_SHORT_MAX granules, and no allocation, free (fresh_freed: of an
 * object it allocated; a popped one leaves allocs.n at 0), callback or inevitability, with
 * the default flags of the commit's other paths (g_commit_short).  The
 * same steps as tx_commit's, in one function without the tests those cases need, the call
 * to log_prepare, or tx_finish's resets of state such a transaction never set.  false: not
 * such a transaction (nothing done).  Inline in the block's end (bank: 8 instructions a
 * transfer fewer, 0.99x the time) and in _stm_test_commit. */
#define COMMIT_SHORT_MAX 16
static ALWAYS_INLINE bool commit_short(struct seg *s)
{
    size_t n = s->wset->n;
    if (n - 1 >= COMMIT_SHORT_MAX || (s->allocs.n | s->frees.n | s->on_commit.n) ||
        s->on_abort.v || s->fresh_freed || !g_commit_short)
        return false;
    /* An implicit transaction holds the token (inevitable): the commit lets it go.  Not an
     * atomic block that became inevitable (its end has more to do: tx_commit). */
    if (UNLIKELY(s->inevitable) && (!s->implicit || g_flags.NO_IMPLICIT_FAST))
        return false;
    /* Unlogged: while no segment but the first has ever been held (g_seg_hi == 1, so s is
     * segment 1), no other segment can read a log entry: none holds a snapshot or a private
     * page, and one held later starts at the log's tail, on segment 0 (seg_claim_locked, under
     * the lock this commit holds).  Then the commit writes segment 0 and appends nothing (its
     * validation finds no entry either: only s commits).  Read before the lock, then again
     * under it, where it is stable: a segment claimed meanwhile gets the entry after all. */
    bool unlogged = g_unlogged && __atomic_load_n(&g_seg_hi, __ATOMIC_RELAXED) == 1;
    struct log_entry *e = unlogged ? NULL : log_entry_get(s, n);
    /* (an implicit transaction has nothing to validate: holding the token, it saw every commit
     * since its start, which imported the log under the lock) */
    bool inev = s->inevitable;
    if (!inev && log_has_new(s))
        prevalidate(s, e);
    commit_lock(s, e, true);
    if (UNLIKELY(g_inevitable) && !inev)
        wait_token_locked(s, true);
    if (!inev && validate_locked(s, true))
        commit_conflict(s, e); /* (its write markers are cleared by the abort) */
    if (UNLIKELY(unlogged) && (g_seg_hi != 1 || g_test_pausing)) {
        unlogged = false; /* (a test's pause hooks run where the entry is linked) */
        e = log_entry_get(s, n);
    }
    /* The entry and segment 0 in one pass, under the lock (a few instructions a granule more
     * held than a separate publication from the entry): filled before the lock, then copied,
     * the commit took 8% more of bank's time, for reasons not found (not the lock's atomic,
     * not the cache: the same with 256 accounts).  One counter and one sum each way;
     * stats_sum derives the rest (commits, log entries, published granules, runs, write-marker
     * clears, and the public commits_short). */
    if (unlogged) {
        log_fill_short(s, NULL, n, g_seg[0].base);
        STAT(s, commits_unlogged);
        s->unlogged_granules += n;
    } else {
        privatise_for_commit(s, false);
        log_fill_short(s, e, n, g_seg[0].base);
        link_entry(s, e, true);
        STAT(s, commits_short);
        s->short_granules += n;
    }
    __atomic_store_n(&s->running, 0, __ATOMIC_RELAXED);
    if (UNLIKELY(inev)) { /* an implicit transaction's */
        g_inevitable = NULL;
        s->inevitable = 0;
        s->implicit = 0;
    }
    commit_unlock(s, true);
    s->hint = NULL; /* hint_committed: the transaction wrote, so it was not unmarked */
    hdr_tx_ended(s->hdr);
    s->wset->n = 0;
    s->implicit_again = 0;
    s->aborts_in_row = 0;
    block_left(s);
    return true;
}

/* The commit at the end of an atomic block, of an implicit transaction (tx_end_implicit), and
 * of a test hook's transaction, so that the tests of commit interleavings take the same
 * paths. */
static ALWAYS_INLINE void commit_block(struct seg *s)
{
    if (!commit_short(s))
        tx_commit(s);
}

EXPORT void _stm_atomic_cleanup(struct _stm_atomic_frame *f)
{
    if (f->state == 0)
        return;
    struct seg *s = t_ts.seg;
    if (f->nested) {
        s->atomic_depth--;
        return;
    }
    if (UNLIKELY(g_flags.INJECT_ABORTS) && inject_abort_due(s))
        tx_abort(s, ABORT_TEST); /* back into the block, as a conflict found at commit would */
    if (s->unmarked && !s->on_commit.n && !s->on_abort.v) {
        /* An unmarked attempt reaching its end has only read (a write, allocation, free or
         * inevitability would have upgraded it): tx_commit's read-only case, in short. */
        __atomic_store_n(&s->running, 0, __ATOMIC_RELAXED);
        s->hdr->rv = STMC_VERSION_INACTIVE_R;
        if (g_flags.NO_STICKY_SNAPSHOT)
            tx_quiesce(s);
        hint_committed(s);
        s->unmarked = 0;
        STAT(s, commits);
        STAT(s, commits_readonly);
        s->aborts_in_row = 0;
        block_left(s);
    } else {
        commit_block(s); /* an abort jumps back into the block; it leaves the block's state */
    }
    STAT(s, commits_atomic);
    if (seg_release_due())
        seg_release();
}

/* STM_ATOMIC { fn(arg); }, written out so that the block's site is fn (conflicts.c names it),
 * not this line. */
EXPORT void stm_atomic(void (*fn)(void *), void *arg)
{
    struct _stm_atomic_frame af __attribute__((cleanup(_stm_atomic_cleanup)));
    _stm_frame_init(&af);
    atomic_pre(&af, (uintptr_t)fn | SITE_FN);
    (void)_stm_setjmp(&af.jb);
    for (; af.state == 1 || (af.state == 3 && _stm_atomic_body(&af)); af.state = 2)
        fn(arg);
}

/* ---- public transaction API ----------------------------------------------------------------- */
static inline struct seg *atomic_seg(void)
{
    struct seg *s = t_ts.seg;
    return (s && s->atomic_depth > 0 && !s->in_abort_cb) ? s : NULL;
}

EXPORT void stm_become_inevitable(const char *reason)
{
    (void)reason;
    struct seg *s = atomic_seg();
    if (!s)
        return; /* outside atomic blocks the heap is touched under the token anyway */
    tx_check_frame(s);
    tx_become_inevitable(s);
}

EXPORT void stm_on_commit(void (*fn)(void *), void *arg)
{
    struct seg *s = atomic_seg();
    if (!s) {
        fn(arg);
        return;
    }
    cb_push(&s->on_commit, fn, arg);
}

EXPORT void stm_on_abort(void (*fn)(void *), void *arg)
{
    struct seg *s = atomic_seg();
    if (s && !s->inevitable)
        cb_push(&s->on_abort, fn, arg);
}

EXPORT bool stm_in_atomic(void)
{
    return atomic_seg() != NULL;
}

EXPORT bool stm_is_inevitable(void)
{
    struct seg *s = atomic_seg();
    return !s || s->inevitable;
}

EXPORT void stm_validate(void)
{
    struct seg *s = atomic_seg();
    if (!s || s->inevitable || !s->running || s->unmarked)
        return; /* an unmarked transaction reads its start's snapshot: always valid */
    tx_check_frame(s);
    lock();
    if (validate_locked(s, true)) {
        unlock();
        tx_abort(s, ABORT_VALIDATE);
    }
    unlock();
}

/* ---- test hooks: several transactions from one thread, by switching segments ---------------- */
EXPORT int _stm_test_nsegments(void) { return g_nseg; }

EXPORT void _stm_test_switch(int i)
{
    if (i < 1 || i > g_nseg)
        stmc_fatal("_stm_test_switch(%d): segments are 1..%d", i, g_nseg);
    struct seg *s = &g_seg[i];
    lock();
    seg_claim_locked(s);
    unlock();
    t_ts.seg = s;
    t_ts.last = s;
    set_gs(s->base);
}

EXPORT int _stm_test_current(void) { return t_ts.seg ? t_ts.seg->idx : 0; }

static void test_begin(int mode, const char *who)
{
    struct seg *s = cur_seg();
    if (s->running && s->implicit)
        tx_end_implicit(s);
    if (s->running)
        stmc_fatal("%s: a transaction already runs in segment %d", who, s->idx);
    s->frame = NULL;
    s->jb = NULL;
    s->atomic_depth = 1;
    s->hint = NULL;
    tx_start(s, mode);
}

EXPORT void _stm_test_begin(void)
{
    test_begin(TX_ATOMIC, "_stm_test_begin");
}

/* As _stm_test_begin, but the transaction starts unmarked (as an atomic block whose hint says
 * read-only): its first write aborts it (the caller's next test hook returns 0). */
EXPORT void _stm_test_begin_unmarked(void)
{
    test_begin(TX_UNMARKED, "_stm_test_begin_unmarked");
}

#define TEST_CATCH(s, body)                                                                    \
    do {                                                                                       \
        _stm_jmp_buf jb_;                                                                      \
        _stm_jmp_buf *volatile old_ = (s)->jb;                                                 \
        if (_stm_setjmp(&jb_)) {                                                               \
            (s)->jb = old_;                                                                    \
            return 0;                                                                          \
        }                                                                                      \
        (s)->jb = &jb_;                                                                        \
        body;                                                                                  \
        (s)->jb = old_;                                                                        \
    } while (0)

EXPORT int _stm_test_commit(void)
{
    struct seg *s = t_ts.seg;
    if (!s || !s->running)
        stmc_fatal("_stm_test_commit: no transaction runs here");
    TEST_CATCH(s, commit_block(s));
    s->atomic_depth = 0;
    return 1;
}

EXPORT int _stm_test_try(void (*fn)(void *), void *arg)
{
    struct seg *s = t_ts.seg;
    if (!s || !s->running)
        stmc_fatal("_stm_test_try: no transaction runs here");
    TEST_CATCH(s, fn(arg));
    return 1;
}

EXPORT int _stm_test_validate(void)
{
    struct seg *s = t_ts.seg;
    if (!s || !s->running)
        stmc_fatal("_stm_test_validate: no transaction runs here");
    TEST_CATCH(s, stm_validate());
    return 1;
}

EXPORT int _stm_test_become_inevitable(void)
{
    struct seg *s = t_ts.seg;
    if (!s || !s->running)
        stmc_fatal("_stm_test_become_inevitable: no transaction runs here");
    TEST_CATCH(s, tx_become_inevitable(s));
    return 1;
}

EXPORT void _stm_test_abort(void)
{
    struct seg *s = t_ts.seg;
    if (!s || !s->running)
        stmc_fatal("_stm_test_abort: no transaction runs here");
    _stm_jmp_buf jb;
    if (_stm_setjmp(&jb))
        return;
    s->jb = &jb;
    tx_abort(s, ABORT_TEST);
}

EXPORT int _stm_test_running(void) { return t_ts.seg && t_ts.seg->running; }

EXPORT int _stm_test_seg_snap(int i)
{
    return i >= 1 && i <= g_nseg && __atomic_load_n(&g_seg[i].snap, __ATOMIC_SEQ_CST);
}

EXPORT void _stm_test_quiesce(void)
{
    tx_quiesce(t_ts.seg);
}

EXPORT void _stm_test_pause_commit(void (*fn)(void *), void *arg)
{
    g_test_pause_before_arg = arg;
    g_test_pause_before = fn;
    g_test_pausing = true;
}

EXPORT void _stm_test_pause_commit_linked(void (*fn)(void *), void *arg)
{
    g_test_pause_after_arg = arg;
    g_test_pause_after = fn;
    g_test_pausing = true;
}

EXPORT uint64_t _stm_test_committed_u64(uint64_t off)
{
    uint64_t v;
    memcpy(&v, g_seg[0].base + off, sizeof v);
    return v;
}

EXPORT int _stm_test_is_private(int i, uint64_t off)
{
    return g_seg[i].priv[page_of(off)];
}

/* The commit seqlock (tests: it moves with every locked section when it is the lock). */
EXPORT uint64_t _stm_test_gen(void) { return __atomic_load_n(&g_gen, __ATOMIC_ACQUIRE); }

/* Entries ever appended to the log (its tail's seq). */
EXPORT uint64_t _stm_test_log_seq(void)
{
    lock();
    uint64_t n = g_cs.tail->seq;
    unlock();
    return n;
}

EXPORT uint64_t _stm_test_log_length(void)
{
    lock();
    uint64_t n = g_cs.tail->seq - g_cs.head_seq;
    unlock();
    return n;
}

/* The running transaction's write-set entries and listed allocations (this thread's segment). */
EXPORT uint64_t _stm_test_wset_length(void) { return t_ts.seg ? t_ts.seg->wset->n : 0; }
EXPORT uint64_t _stm_test_allocs_length(void) { return t_ts.seg ? t_ts.seg->allocs.n : 0; }
/* This segment's read marker of the granule at off (0: not read by the running transaction). */
EXPORT int _stm_test_rmark(uint64_t off)
{
    return t_ts.seg ? *rmark(t_ts.seg, off >> STMC_GRANULE_SHIFT) : 0;
}
