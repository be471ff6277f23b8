/* runtime/barrier.c - the slow paths of the barriers and the memory-intrinsic entry points,
 * one definition per row of stmc/abi.def.
 *
 * The fast paths are inline (emitted by the pass, or stm_read/stm_write in <stmc.h>):
 *   read:  rv = %gs:RV; if (rv == 0) _stm_read_slow(); else %gs:(a >> 4) = rv
 *   write: if (%gs:(WMARK_OFF + (a >> 4)) != %gs:WV) _stm_write_slow()
 * (the pass's write barrier first tries to record a one-granule store itself: stmc/layout.h,
 * STMC_HDR_WS_LIM; the runtime keeps WS_LIM at 0 where it must see every first store).
 * RV is 0 when the thread runs no transaction (or holds no segment: %gs is the dummy), so
 * the first heap access outside an atomic block starts an implicit transaction here.
 */
#include "internal.h"

#include <unistd.h>

EXPORT const int STMC_ABI_VERSION_IDENT = STMC_ABI_VERSION;

static _Noreturn void bad_range(uint64_t a, uint64_t n, const struct _stm_site *site,
                                const char *what)
{
    if (site && site->file)
        stmc_fatal("%s of %llu bytes at heap offset 0x%llx is outside the STM heap (%s:%u:%u); "
                   "null or dangling heap pointer?", what, (unsigned long long)n,
                   (unsigned long long)a, site->file, site->line, site->col);
    stmc_fatal("%s of %llu bytes at heap offset 0x%llx is outside the STM heap; null or "
               "dangling heap pointer?", what, (unsigned long long)n, (unsigned long long)a);
}

EXPORT uint64_t _stm_heap_from_flat(uint64_t flat)
{
    uint64_t r = (uint64_t)(uintptr_t)g_resv;
    if (flat > r && flat - r <= (uint64_t)g_resv_size) {
        uint64_t off = (flat - r) & (STMC_SEG_SIZE - 1);
        return off ? off : STMC_SEG_SIZE;
    }
    return flat; /* null, or never a heap pointer */
}

/* [a, a+n) lies in the heap. */
static inline bool range_in_heap(uint64_t a, uint64_t n)
{
    return a >= STMC_HEAP_START && a <= HEAP_LIMIT && n <= HEAP_LIMIT - a;
}

void check_range(uint64_t a, uint64_t n, const struct _stm_site *site, const char *what)
{
    if (UNLIKELY(!range_in_heap(a, n)))
        bad_range(a, n, site, what);
}

/* Not in an unmarked attempt (RV == 1), nor in an implicit transaction: it holds the token, so
 * no commit comes between its start and its end and nothing validates its reads (the inline
 * barrier's one marker store is cheaper than a test; a range barrier that a loop's safe point
 * redoes after each implicit transaction's end would mark the whole range each time). */
void mark_read(struct seg *s, uint64_t a, uint64_t n)
{
    if (!n || s->unmarked || s->implicit)
        return;
    uint64_t g = a >> STMC_GRANULE_SHIFT, last = (a + n - 1) >> STMC_GRANULE_SHIFT;
    /* one memset: a loop's range barrier marks a whole array (the byte loop reloaded s->base
     * at each store: the markers might alias s) */
    memset(rmark(s, g), s->version, last - g + 1);
}

/* Before granules [g, stop) of one page enter the write set: the page is made private
 * (before the caller's stores land in it), and the write set gets room for all of them. */
static inline void page_part_prepare(struct seg *s, uint64_t g, uint64_t stop)
{
    uint64_t page = page_of(g << STMC_GRANULE_SHIFT);
    if (!__atomic_load_n(&s->priv[page], __ATOMIC_ACQUIRE))
        ensure_private(s, page);
    if (s->wset->cap - s->wset->n < stop - g)
        wset_room(s, stop - g);
}

/* Granules [g, stop) of one page enter the write set where they are not in it yet. */
static inline void write_page_part(struct seg *s, uint64_t g, uint64_t stop, uint32_t tag)
{
    page_part_prepare(s, g, stop);
    record_granules(s, g, stop, tag, NULL);
}

/* A range of more than one page, or of 16 granules or more (a new object, a memset): page by
 * page, and where none of a page's granules in the range is in the write set yet, their
 * markers are set with memset (counter wset_bulk; STM_NO_RUNS=1: one by one).  Out of line,
 * so that the short ranges of small objects do not pay for its registers. */
static __attribute__((noinline)) void write_range_long(struct seg *s, uint64_t g, uint64_t end,
                                                       uint32_t tag)
{
    while (g < end) {
        uint64_t stop = page_part_end(g, end);
        uint8_t v = s->version, *wm = wmark(s, 0);
        if (stop - g >= 16 && !g_flags.NO_RUNS && !memchr(wm + g, v, stop - g)) {
            page_part_prepare(s, g, stop);
            memset(wm + g, v, stop - g);
            if (fresh_read_mark(tag))
                memset(rmark(s, g), v, stop - g);
            uint32_t *ws = s->wset->v + s->wset->n;
            for (uint64_t i = 0; i < stop - g; i++)
                ws[i] = (uint32_t)(g + i) | tag;
            s->wset->n += stop - g;
            s->st.wset_bulk += stop - g;
        } else {
            write_page_part(s, g, stop, tag);
        }
        g = stop;
    }
}

/* The granules of [a, a+n) (n > 0) that are not in the write set yet enter it. */
static void write_range(struct seg *s, uint64_t a, uint64_t n, uint32_t tag)
{
    if (UNLIKELY(s->unmarked))
        tx_upgrade(s);
    uint64_t g = a >> STMC_GRANULE_SHIFT, end = ((a + n - 1) >> STMC_GRANULE_SHIFT) + 1;
    if (LIKELY(end - g < 16 && page_part_end(g, end) == end))
        write_page_part(s, g, end, tag);
    else
        write_range_long(s, g, end, tag);
}

/* An implicit transaction whose write set grew past STM_IMPLICIT_MAX_GRANULES is asked to end
 * at its next safe point.  Granules put back by _stm_write_again do not count: they are the
 * objects the loop's code writes without barriers, and they would ask again at once. */
static inline void implicit_size_check(struct seg *s)
{
    if (s->implicit && s->wset->n > s->implicit_again + (uint64_t)g_flags.IMPLICIT_MAX_GRANULES)
        s->hdr->yield = 1;
}

void mark_write(struct seg *s, uint64_t a, uint64_t n, bool fresh)
{
    if (!n)
        return;
    write_range(s, a, n, fresh ? WS_FRESH : 0);
    implicit_size_check(s);
}

static inline struct seg *enter(uint64_t a, uint64_t n, const struct _stm_site *site,
                                const char *what)
{
    struct seg *s = tx_ensure_running();
    if (s->atomic_depth > 0)
        tx_check_frame(s);
    check_range(a, n, site, what);
    return s;
}

/* The read markers of granules [g, g + k), 1 <= k <= READ_FAST_MAX, in overlapping 8-, 4-, 2-
 * or 1-byte stores (the owner's markers: no other thread writes them). */
#define READ_FAST_MAX 32
static ALWAYS_INLINE void mark_short(uint8_t *m, uint64_t k, uint8_t v)
{
    uint64_t p8 = v * 0x0101010101010101ull;
    if (k >= 8) {
        for (uint64_t i = 0; i + 8 < k; i += 8)
            memcpy(m + i, &p8, 8);
        memcpy(m + k - 8, &p8, 8);
    } else if (k >= 4) {
        uint32_t p4 = (uint32_t)p8;
        memcpy(m, &p4, 4);
        memcpy(m + k - 4, &p4, 4);
    } else if (k >= 2) {
        uint16_t p2 = (uint16_t)p8;
        memcpy(m, &p2, 2);
        memcpy(m + k - 2, &p2, 2);
    } else {
        *m = v;
    }
}

/* The common call is a loop's range barrier in a running marked atomic transaction, over a
 * few granules (a row of a matrix, a point's coordinates): its markers are stored here, with
 * the bounds and the block's frame checked inline, instead of through tx_ensure_running,
 * tx_check_frame and a memset call (73 instructions a call for 8 granules, a third of a
 * nearest-centre search's runtime, to ~20; counter reads_fast, switch STM_NO_READ_FAST).  In
 * a running implicit transaction, which marks nothing, it returns after the bounds check. */
EXPORT void _stm_read_slow(uint64_t a, uint64_t n, const struct _stm_site *site)
{
    struct seg *s = t_ts.seg;
    if (LIKELY(!g_flags.NO_READ_FAST && s && s->running && n && range_in_heap(a, n))) {
        if (s->implicit) { /* it marks nothing (mark_read): a loop outside blocks */
            STAT(s, reads_fast);
            return;
        }
        uint64_t g = a >> STMC_GRANULE_SHIFT, k = ((a + n - 1) >> STMC_GRANULE_SHIFT) - g + 1;
        if (s->atomic_depth > 0 && !s->unmarked && k <= READ_FAST_MAX &&
            (char *)__builtin_frame_address(0) < (char *)s->frame) {
            mark_short(rmark(s, g), k, s->version);
            STAT(s, reads_fast);
            return;
        }
    }
    s = enter(a, n, site, "read");
    mark_read(s, a, n);
}

/* A strided range: count elements stride bytes apart, n bytes of each (n <= one granule, so
 * one or two granules an element); the granules between them are not marked (the other
 * fields of an array of structs: their writers do not conflict with this loop).  A stride
 * known only at run time (`b[k * n + j]`) may be anything: below a granule (elements share
 * granules), or 0 (one element, read count times). */
EXPORT void _stm_read_strided(uint64_t a, uint64_t count, uint64_t stride, uint64_t n,
                              const struct _stm_site *site)
{
    if (!count || !n)
        return;
    if (!stride) { /* one element (any stride serves for one: the loops below end by it) */
        count = 1;
        stride = STMC_GRANULE;
    }
    uint64_t span;
    /* (a count and stride whose span wraps reach past the heap: the loop would fault there;
     * checked here, else the marker stores below would run past the markers) */
    if (__builtin_mul_overflow(count - 1, stride, &span) || __builtin_add_overflow(span, n, &span))
        bad_range(a, UINT64_MAX, site, "read");
    struct seg *s = enter(a, span, site, "read");
    if (s->unmarked || s->implicit)
        return;
    uint8_t v = s->version, *m = rmark(s, 0); /* a local: the stores may alias s */
    uint64_t g = a >> STMC_GRANULE_SHIFT, last = (a + n - 1) >> STMC_GRANULE_SHIFT;
    if (!(stride & (STMC_GRANULE - 1))) {
        /* every element at the same offset in its granule: the same one or two markers */
        uint64_t step = stride >> STMC_GRANULE_SHIFT;
        uint8_t *p = m + g, *end = p + count * step;
        if (g == last)
            for (; p != end; p += step)
                *p = v;
        else
            for (; p != end; p += step)
                p[0] = p[1] = v;
        return;
    }
    for (uint64_t e = a + n - 1; count--; a += stride, e += stride) {
        m[a >> STMC_GRANULE_SHIFT] = v;
        m[e >> STMC_GRANULE_SHIFT] = v;
    }
}

static __attribute__((noinline)) void write_slow_general(uint64_t a, uint64_t n,
                                                         const struct _stm_site *site)
{
    struct seg *s = enter(a, n, site, "write");
    mark_write(s, a, n, false);
}

static __attribute__((noinline)) void write_granule_slow(struct seg *s, uint64_t g)
{
    write_page_part(s, g, g + 1, 0);
    implicit_size_check(s); /* (nothing in an atomic block) */
}

EXPORT void _stm_write_slow(uint64_t a, uint64_t n, const struct _stm_site *site)
{
    /* Most calls are an atomic block's first store to a granule: its checks, then the one
     * granule, without the general path's calls and loop (bank: ~50 instructions, not ~120).
     * Every call below is a tail call or does not return, so few registers need saving. */
    struct seg *s = t_ts.seg;
    uint64_t g = a >> STMC_GRANULE_SHIFT;
    /* outside blocks with no transaction yet: start the implicit one, then go on below (the
     * general path's range loop for its first store cost ~80 instructions a transaction) */
    if (UNLIKELY(s && !s->running && s->atomic_depth <= 0 && !g_flags.NO_IMPLICIT_FAST))
        s = tx_ensure_running();
    /* [a, a+n) is one granule (n = 0 wraps and fails): (a + n - 1) >> 4 == g, in one test */
    if (UNLIKELY(!s || (s->atomic_depth <= 0 && (!s->implicit || g_flags.NO_IMPLICIT_FAST)) ||
                 !s->running || s->unmarked ||
                 (a & (STMC_GRANULE - 1)) + n - 1 >= STMC_GRANULE || g_flags.NO_WRITE_FAST)) {
        write_slow_general(a, n, site);
        return;
    }
    /* check_range for one granule: the heap's end is granule-aligned */
    if (UNLIKELY(a - STMC_HEAP_START >= HEAP_SIZE))
        bad_range(a, n, site, "write");
    if (UNLIKELY(frame_gone(s)))
        tx_frame_gone();
    uint8_t v = s->version;
    uint8_t *base = (uint8_t *)s->base; /* a local: the marker stores may alias s */
    if (base[STMC_WMARK_OFF + g] == v)
        return;
    STAT(s, writes_fast);
    size_t n_ws = s->wset->n;
    if (UNLIKELY(!__atomic_load_n(&s->priv[page_of(a)], __ATOMIC_ACQUIRE) ||
                 n_ws == s->wset->cap)) {
        write_granule_slow(s, g); /* makes the page private first, or grows the write set */
        return;
    }
    base[STMC_WMARK_OFF + g] = v;
    base[STMC_RMARK_OFF + g] = v;
    s->wset->v[n_ws] = (uint32_t)g;
    s->wset->n = n_ws + 1;
    implicit_size_check(s); /* (nothing in an atomic block) */
}

EXPORT void _stm_write_again(uint64_t a, uint64_t n, const struct _stm_site *site)
{
    struct seg *s = enter(a, n, site, "write");
    if (!n)
        return;
    size_t before = s->wset->n;
    write_range(s, a, n, 0);
    /* (a compaction inside write_range may have left fewer entries than before: it clamps
     * implicit_again to what is left) */
    if (s->implicit && s->wset->n > before) {
        s->implicit_again += s->wset->n - before;
        ws_inline_open(s); /* the inline appends' limit moves with it */
    }
    implicit_size_check(s);
}

/* Outside atomic blocks, with no transaction running: s lets go of its snapshot, and of the
 * segment itself when another thread waits for one.  Not in the child of a vfork (its exec or
 * _exit is an external call too): it shares the parent's memory, so giving the segment back
 * there gave the parent's away, while the parent's %gs still addressed it (it then read
 * another thread's uncommitted writes).  getpid only when a release is due.
 * waits: before a call that waits for other threads (_stm_external_wait): the segment goes
 * back now to a thread that waits for one, or else is parked (seg_park): kept, but a thread
 * that comes to wait for one while this one waits may take it.  A release only when a thread
 * waited at the call (the 1 ms rule aside) came too early: an OpenMP team larger than the
 * segments hung, threads holding segments waiting in libomp's critical section (a futex: no
 * call of stmc's) for one that asked for a segment after they had gone in.  No getpid test
 * there (its syscall doubled the cost of an `omp critical`; between vfork and exec a child
 * calls no OpenMP wait). */
static void let_go(struct seg *s, bool waits)
{
    tx_quiesce(s);
    if (!s->running)
        alloc_room_check(s);
    if (waits) {
        STAT(s, wait_releases);
        if (__atomic_load_n(&g_seg_waiters, __ATOMIC_RELAXED) > 0)
            seg_release();
        else
            seg_park();
    } else if (seg_release_due() && getpid() == g_pid) {
        seg_release();
    }
}

EXPORT void _stm_safepoint_slow(const struct _stm_site *site)
{
    (void)site;
    struct seg *s = t_ts.seg;
    if (!s || in_signal_handler())
        return; /* the dummy segment always asks; nothing to do without a segment; a handler
                 * (a CAS retry loop) must not end the interrupted code's transaction */
    s->hdr->yield = 0;
    if (s->atomic_depth > 0)
        return;
    if (s->running && s->implicit) {
        tx_end_implicit(s);
        STAT(s, implicit_breaks);
    }
    let_go(s, false); /* a committer may have asked (a lagging snapshot), or others wait */
}

/* Outside atomic blocks an atomic operation (or fence) ends the implicit transaction: a
 * release publishes the writes before it (another thread that sees a flag set after
 * g->data = 1 read data 0, the write still in the writer's running implicit transaction),
 * an acquire makes the reads after it start from a fresh snapshot, and a spin on a heap flag
 * sees other threads' stores (a flag stored outside blocks was never published while its
 * writer spun, waiting for the answer).  No quiesce: the next implicit start takes the lock
 * and imports anyway. */
EXPORT void _stm_sync(const struct _stm_site *site)
{
    (void)site;
    struct seg *s = t_ts.seg;
    if (s && s->atomic_depth == 0 && s->running && s->implicit && !in_signal_handler()) {
        tx_end_implicit(s);
        STAT(s, implicit_syncs);
    }
}

/* _stm_external_enter, and with waits _stm_external_wait (abi.def) */
static void external_enter(bool waits, const struct _stm_site *site)
{
    struct seg *s = t_ts.seg;
    if (!s || in_signal_handler())
        return; /* write() or sem_post() in a handler: leave the interrupted code alone */
    if (s->atomic_depth > 0) {
        if (s->in_abort_cb)
            return; /* between two attempts: no transaction to protect */
        tx_check_frame(s);
        bool was = s->inevitable;
        tx_become_inevitable(s); /* (may abort: then the retry counts) */
        if (UNLIKELY(g_flags.CONFLICTS) && !was)
            conflicts_inevitable(s, site);
        return;
    }
    tx_end_implicit(s);
    let_go(s, waits); /* the call may block or run long: hold nothing back for others */
}

EXPORT void _stm_external_enter(const struct _stm_site *site)
{
    external_enter(false, site);
}

EXPORT void _stm_external_wait(const struct _stm_site *site)
{
    external_enter(!g_flags.NO_WAIT_RELEASE, site);
}

EXPORT void _stm_external_leave(const struct _stm_site *site)
{
    (void)site;
}

/* Memory intrinsics: barriers over the whole ranges, then the copy through this segment. */
static void copy_hh(uint64_t dst, uint64_t src, uint64_t n, const struct _stm_site *site)
{
    if (!n)
        return;
    struct seg *s = enter(src, n, site, "memcpy source");
    check_range(dst, n, site, "memcpy destination");
    mark_read(s, src, n);
    mark_write(s, dst, n, false);
    memmove(s->base + dst, s->base + src, n);
}

EXPORT void _stm_memcpy_hh(uint64_t dst, uint64_t src, uint64_t n, const struct _stm_site *site)
{
    copy_hh(dst, src, n, site);
}

EXPORT void _stm_memmove_hh(uint64_t dst, uint64_t src, uint64_t n, const struct _stm_site *site)
{
    copy_hh(dst, src, n, site);
}

static void copy_hf(uint64_t dst, void *src, uint64_t n, const struct _stm_site *site)
{
    if (!n)
        return;
    struct seg *s = enter(dst, n, site, "memcpy destination");
    mark_write(s, dst, n, false);
    memmove(s->base + dst, src, n);
}

EXPORT void _stm_memcpy_hf(uint64_t dst, void *src, uint64_t n, const struct _stm_site *site)
{
    copy_hf(dst, src, n, site);
}

EXPORT void _stm_memmove_hf(uint64_t dst, void *src, uint64_t n, const struct _stm_site *site)
{
    copy_hf(dst, src, n, site);
}

static void copy_fh(void *dst, uint64_t src, uint64_t n, const struct _stm_site *site)
{
    if (!n)
        return;
    struct seg *s = enter(src, n, site, "memcpy source");
    mark_read(s, src, n);
    memmove(dst, s->base + src, n);
}

EXPORT void _stm_memcpy_fh(void *dst, uint64_t src, uint64_t n, const struct _stm_site *site)
{
    copy_fh(dst, src, n, site);
}

EXPORT void _stm_memmove_fh(void *dst, uint64_t src, uint64_t n, const struct _stm_site *site)
{
    copy_fh(dst, src, n, site);
}

EXPORT void _stm_memset_h(uint64_t dst, uint8_t c, uint64_t n, const struct _stm_site *site)
{
    if (!n)
        return;
    struct seg *s = enter(dst, n, site, "memset destination");
    mark_write(s, dst, n, false);
    memset(s->base + dst, c, n);
}
