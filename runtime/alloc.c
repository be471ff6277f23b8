/* runtime/alloc.c - the STM heap allocator.
 *
 * Objects never move.  Small objects (16..2048 bytes, 128 classes of 16 bytes) come from
 * per-segment free lists, then from per-segment bump chunks of CHUNK_PAGES pages; larger ones
 * get whole pages.  Pages come from one global page allocator (first fit over freed runs,
 * then bump) under a_lock.  Metadata lives outside the heap: a state byte per granule
 * (objstate: 0 free, 1 allocated, 2 freed and waiting) and a word per page (pageinfo).
 *
 * stm_alloc inside a transaction puts the whole object in the write set as "fresh" granules
 * (zeroed in the segment, published at commit, undone at abort).  stm_free records the
 * object; at commit the object becomes FREED with the commit's sequence number, and it is
 * reused only once every segment that holds a snapshot took it after that commit.
 *
 * An object freed by the transaction that allocated it was never seen by anyone else: it goes
 * back to the free list at once, and its granules are neither published nor logged (their
 * write markers are reset, which marks their write-set entries dead; see tx.c), nor read
 * markers left for another segment's commit to conflict with.  Its entries are dropped from
 * the write set and the allocation list at once when it was the latest allocation
 * (fresh_pop), else when a list is about to grow (wset_room, allocs_room).  Until its
 * transaction commits, such an object's state is OBJ_FRESH + the segment's index.
 * STM_NO_FRESH_FREE=1 treats it like any other free.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CHUNK_PAGES 16
#define PI_LARGE 0x80000000u      /* first page of a large object; low bits: page count */
#define PI_LARGE_CONT 0x40000000u /* later pages of a large object */
/* small-object page: class | (index of the page in its chunk) << 8 */

enum { OBJ_FREE = 0, OBJ_ALLOCATED = 1, OBJ_FREED = 2 };
/* An allocated object that a running transaction has stm_free'd: OBJ_PENDING | the segment's
 * index (1..64).  It reads as OBJ_ALLOCATED to everyone (the free is not committed); it lets
 * the freeing transaction catch a second free of the same object in O(1) (STM_NO_FREE_MARK=1
 * goes back to scanning the transaction's free list).  Set and cleared by compare-and-swap:
 * another transaction may free the object concurrently (one of the two commits reports it). */
#define OBJ_PENDING 0x80
/* OBJ_FRESH + index (1..64): allocated by the running transaction of that segment; reads as
 * OBJ_ALLOCATED to everyone.  It becomes OBJ_ALLOCATED at commit (alloc_publish). */
#define OBJ_FRESH 3

static STMC_LINE pthread_mutex_t a_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t a_top;              /* (a_lock to write) first never-used heap offset; it only
                                     * grows, so readers load it without the lock */
static uint64_t a_limit;
static struct u64vec a_runs;        /* (a_lock) freed page runs, as pairs (offset, npages),
                                     * sorted by offset, adjacent runs merged */
/* Free small objects that segments handed over (per class, a_lock).  A free returns an object
 * to the free list of the segment that reclaims it, not to the one that allocated it: where one
 * thread allocates what another frees (a producer and a consumer), the consumer's list grew
 * without bound while the producer took new memory for every object (RSS 15 MB after 300 K
 * objects, 47 MB after 1.2 M, with 256 live).  A segment whose list of a class is empty, with
 * the pool empty too, takes new memory and says so (pool_wanted, until a take leaves plenty
 * in the pool; not in its thread's first transaction that takes new memory of that class:
 * warm_up); a list in another segment that holds more than POOL_HIGH bytes then gives all but
 * POOL_HIGH / 2 to the pool (looked at every 64th free), and an empty list takes up to
 * POOL_TAKE bytes' worth from the pool before it takes new memory.  A list never gives for
 * its own segment's want, so a thread that frees and reuses its own objects (trees2) keeps
 * them.  Counters pool_puts, pool_takes (objects);
 * STM_NO_FREE_POOL=1 keeps every list to itself. */
#define POOL_HIGH (2 * CHUNK_PAGES * STMC_PAGE_SIZE)
#define POOL_TAKE (CHUNK_PAGES * STMC_PAGE_SIZE)
static struct u32vec a_pool[NCLASSES];
static uint32_t pool_high_n[NCLASSES]; /* POOL_HIGH in objects of each class (set up once) */
static uint8_t pool_wanted[NCLASSES];  /* (relaxed) the last segment that took new memory for
                                        * an object of that class with the pool empty, 0: none */
static STMC_LINE uint8_t *objstate; /* set at start-up, read by every allocation and free */
static uint32_t *pageinfo;

void alloc_setup(void)
{
    objstate = mmap(NULL, HEAP_SIZE >> STMC_GRANULE_SHIFT, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    pageinfo = mmap(NULL, HEAP_PAGES * sizeof(uint32_t), PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (objstate == MAP_FAILED || pageinfo == MAP_FAILED)
        stmc_fatal("cannot map the allocator's metadata: %s", strerror(errno));
    /* Not in core dumps: of no use there, and dumped whole (its holes in the file too) once
     * touched (130 MiB of a core's 146 MB at the default heap; segment.c, "core dumps"). */
    madvise(objstate, HEAP_SIZE >> STMC_GRANULE_SHIFT, MADV_DONTDUMP);
    madvise(pageinfo, HEAP_PAGES * sizeof(uint32_t), MADV_DONTDUMP);
    for (uint32_t c = 1; c < NCLASSES; c++)
        pool_high_n[c] = g_flags.NO_FREE_POOL ? UINT32_MAX
                                              : (uint32_t)(POOL_HIGH / ((uint64_t)c << STMC_GRANULE_SHIFT));
    a_top = STMC_HEAP_START;
    a_limit = STMC_HEAP_START + ((uint64_t)g_flags.HEAP_MB << 20);
}

static inline uint8_t *ostate(uint64_t off)
{
    return &objstate[(off - STMC_HEAP_START) >> STMC_GRANULE_SHIFT];
}

int alloc_objstate(uint64_t off)
{
    int st = __atomic_load_n(ostate(off), __ATOMIC_RELAXED);
    return st > OBJ_FREED ? OBJ_ALLOCATED : st; /* pending or fresh */
}

/* Drop segment s's pending-free mark on off, if it is still there. */
static void unmark_pending(struct seg *s, uint64_t off)
{
    uint8_t want = (uint8_t)(OBJ_PENDING | s->idx);
    __atomic_compare_exchange_n(ostate(off), &want, OBJ_ALLOCATED, false, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
}

EXPORT int _stm_test_objstate(uint64_t off)
{
    return alloc_objstate(off);
}

EXPORT uint64_t _stm_test_heap_used(void)
{
    return alloc_heap_top() - STMC_HEAP_START;
}

/* LeakSanitizer (-fsanitize=address's leak check) looks for pointers to malloc'd memory in the
 * program's memory, but not in mappings it was not told of, such as the STM heap: a block whose
 * only pointer was kept in a heap object was reported as leaked.  Where it is linked in, segment
 * 0's part of the heap handed out so far (committed data is there) is one of its root regions,
 * registered anew as a_top grows (under a_lock). */
__attribute__((weak, visibility("default"))) void __lsan_register_root_region(const void *p,
                                                                              size_t n);
__attribute__((weak, visibility("default"))) void __lsan_unregister_root_region(const void *p,
                                                                                size_t n);
static uint64_t lsan_top = STMC_HEAP_START; /* (a_lock) the end of the registered region */

static void lsan_root_grow(uint64_t top)
{
    if (!__lsan_register_root_region || !__lsan_unregister_root_region)
        return;
    const char *heap = g_seg[0].base + STMC_HEAP_START;
    if (lsan_top > STMC_HEAP_START)
        __lsan_unregister_root_region(heap, lsan_top - STMC_HEAP_START);
    __lsan_register_root_region(heap, top - STMC_HEAP_START);
    lsan_top = top;
}

/* np pages: the first freed run that holds them, else new memory; 0 where the heap's limit
 * leaves no room (pages_get). */
static uint64_t pages_alloc(uint64_t np)
{
    pthread_mutex_lock(&a_lock);
    /* a_runs holds pairs (offset, npages) */
    for (size_t i = 0; i < a_runs.n; i += 2) {
        if (a_runs.v[i + 1] >= np) {
            uint64_t off = a_runs.v[i];
            a_runs.v[i] += np * STMC_PAGE_SIZE;
            a_runs.v[i + 1] -= np;
            if (a_runs.v[i + 1] == 0) { /* keep the order: pages_free merges neighbours */
                memmove(&a_runs.v[i], &a_runs.v[i + 2], (a_runs.n - i - 2) * sizeof *a_runs.v);
                a_runs.n -= 2;
            }
            pthread_mutex_unlock(&a_lock);
            return off;
        }
    }
    if (np > (a_limit - a_top) / STMC_PAGE_SIZE) {
        pthread_mutex_unlock(&a_lock);
        return 0;
    }
    uint64_t off = a_top, top = a_top + np * STMC_PAGE_SIZE;
    __atomic_store_n(&a_top, top, __ATOMIC_RELEASE);
    lsan_root_grow(top);
    pthread_mutex_unlock(&a_lock);
    seg_dump_grow(top);
    return off;
}

static bool reclaim_for_room(struct seg *s);
static bool room_sweep(struct seg *s, uint64_t np, uint32_t cls, uint64_t *off);
/* Tries of an allocation that finds no room (each takes frees back or waits for other
 * segments' hand-backs): bounded, as other threads' commits may keep handing back objects of
 * other sizes for ever. */
#define RECLAIM_ROOM_TRIES 64

static bool pool_take(struct seg *s, uint32_t c);

/* pages_alloc for s's running transaction.  Where the heap has no room, the frees that no
 * snapshot can see any more are handed back at once (reclaim_for_room) and it tries again;
 * then every segment's free small objects are gathered and whole free chunks go back to the
 * page allocator (room_sweep).  cls: a chunk for that size class of small objects is wanted,
 * and 0 is returned as soon as the class has free objects again in s's list (the frees taken
 * back may be of that class: a heap filled with 1 KiB objects, all freed, stopped at the next
 * 1 KiB allocation; a review's find).  Else 0 if may_fail (stm_realloc's try of its slack:
 * no sweep, no wait), or the process stops. */
static uint64_t pages_get(struct seg *s, uint64_t np, uint32_t cls, bool may_fail)
{
    uint64_t off = pages_alloc(np);
    for (unsigned k = 0; !off && k < RECLAIM_ROOM_TRIES; k++) {
        bool more = reclaim_for_room(s);
        if (cls && (s->freelist[cls].n || pool_take(s, cls)))
            return 0;
        off = pages_alloc(np); /* also after none: another segment's hand-back may have
                                * ended between the try above and the look at the queue */
        if (!more)
            break;
    }
    if (!off && !may_fail && !g_flags.NO_ROOM_SWEEP && room_sweep(s, np, cls, &off) && !off)
        return 0; /* objects of the class came */
    if (!off && !may_fail) {
        /* What of the heap handed out is free pages, and the largest run of them: "63 MiB in
         * use" read as live data in a review's soak with ~17 MB live (the rest was free runs
         * too short for the request, and objects in free lists). */
        uint64_t used = (alloc_heap_top() - STMC_HEAP_START) >> 20, free_pages = 0, largest = 0;
        pthread_mutex_lock(&a_lock);
        for (size_t i = 0; i < a_runs.n; i += 2) {
            free_pages += a_runs.v[i + 1];
            largest = a_runs.v[i + 1] > largest ? a_runs.v[i + 1] : largest;
        }
        pthread_mutex_unlock(&a_lock);
        stmc_fatal("heap exhausted: %llu MiB handed out (%llu MiB of it free pages, in runs of "
                   "at most %llu KiB: objects never move; the rest live objects and free small "
                   "ones), %llu KiB more requested, limit %ld MiB; raise STM_HEAP_MB (at most "
                   "7168)", (unsigned long long)used,
                   (unsigned long long)((free_pages * STMC_PAGE_SIZE) >> 20),
                   (unsigned long long)((largest * STMC_PAGE_SIZE) >> 10),
                   (unsigned long long)((np * STMC_PAGE_SIZE) >> 10), g_flags.HEAP_MB);
    }
    return off;
}

/* The run goes back in offset order and merges with the runs it touches.  Without the merge,
 * large objects of varied sizes split the runs ever smaller until no freed run fitted: 64
 * objects of 1-64 pages replaced at random (16 MiB live at most) exhausted a 64 MiB heap
 * within 20,000 replacements, and RSS reached 2.5 GB after 80,000 (test
 * runtime/alloc_large_reuse.c). */
static void pages_free_locked(uint64_t off, uint64_t np)
{
    uint64_t *r = a_runs.v;
    size_t n = a_runs.n / 2, lo = 0, hi = n; /* the first run after off: lo */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r[2 * mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t end = off + np * STMC_PAGE_SIZE;
    bool join_prev = lo > 0 && r[2 * (lo - 1)] + r[2 * (lo - 1) + 1] * STMC_PAGE_SIZE == off;
    bool join_next = lo < n && r[2 * lo] == end;
    if (join_prev && join_next) {
        r[2 * (lo - 1) + 1] += np + r[2 * lo + 1];
        memmove(&r[2 * lo], &r[2 * lo + 2], (n - lo - 1) * 2 * sizeof *r);
        a_runs.n -= 2;
    } else if (join_prev) {
        r[2 * (lo - 1) + 1] += np;
    } else if (join_next) {
        r[2 * lo] = off;
        r[2 * lo + 1] += np;
    } else {
        vec_push(&a_runs, 0);
        vec_push(&a_runs, 0);
        r = a_runs.v;
        memmove(&r[2 * lo + 2], &r[2 * lo], (n - lo) * 2 * sizeof *r);
        r[2 * lo] = off;
        r[2 * lo + 1] = np;
    }
}

static void pages_free(uint64_t off, uint64_t np)
{
    pthread_mutex_lock(&a_lock);
    pages_free_locked(off, np);
    pthread_mutex_unlock(&a_lock);
}

uint64_t alloc_heap_top(void)
{
    /* No lock: a_top only grows (stm_free checked it under a_lock on every call: 16% of
     * trees2).  A reader may see a slightly old value, which is below every offset this
     * thread could have been handed (its allocations happen-before through a_lock or the
     * commit that published the pointer). */
    return __atomic_load_n(&a_top, __ATOMIC_ACQUIRE);
}

/* The size in bytes of the object at off (allocated or freed), from the page metadata. */
static uint64_t obj_size(uint64_t off, uint32_t *cls_out)
{
    uint32_t pi = pageinfo[page_of(off)];
    if (pi & PI_LARGE) {
        *cls_out = 0;
        return (uint64_t)(pi & 0xFFFFFFu) * STMC_PAGE_SIZE;
    }
    *cls_out = pi & 0xFF;
    return (uint64_t)(pi & 0xFF) << STMC_GRANULE_SHIFT;
}

/* Moves the last k entries of from to the end of to (one copy: a list's batch is thousands). */
static void move_tail(struct u32vec *from, struct u32vec *to, size_t k)
{
    while (to->cap < to->n + k)
        vec32_grow(to);
    memcpy(to->v + to->n, from->v + from->n - k, k * sizeof *to->v);
    __atomic_store_n(&to->n, to->n + k, __ATOMIC_RELAXED); /* pool_take reads a pool's n */
    __atomic_store_n(&from->n, from->n - k, __ATOMIC_RELAXED);
}

/* The newest k objects of s's free list of class c go to the pool.  The objects may have been
 * freed by s's running transaction after it read them: their read markers go (free_fresh)
 * before another segment can take and write them. */
static void list_to_pool(struct seg *s, uint32_t c, size_t k)
{
    struct u32vec *fl = &s->freelist[c];
    for (size_t i = fl->n - k; i < fl->n; i++)
        memset(rmark(s, fl->v[i]), 0, c);
    pthread_mutex_lock(&a_lock);
    move_tail(fl, &a_pool[c], k);
    pthread_mutex_unlock(&a_lock);
}

/* s's free list of class c grew past POOL_HIGH and another segment wants memory of class c:
 * all but POOL_HIGH / 2 bytes' worth go to the pool, the newest first (the oldest stay: no copy
 * within the list). */
static __attribute__((noinline)) void pool_put(struct seg *s, uint32_t c)
{
    size_t k = s->freelist[c].n - pool_high_n[c] / 2;
    list_to_pool(s, c, k);
    s->st.pool_puts += k;
}

/* Warm-up takes: the classes of small objects whose warm-up transaction the calling thread
 * has ended (a bit per class).  A thread's warm-up for a class is its first transaction that
 * takes new memory of the class (an attempt: a retry after an abort is a later one); the
 * running transaction's are kept in the segment (warm_now) until the thread takes new memory
 * in a later transaction there or lets the segment go.  Per thread, not per segment: a thread
 * that takes over a segment another thread used (after pthread_join, say) still has its own,
 * and one that moves between segments has one in all.  Its address names the thread. */
static STMC_TLS uint64_t t_warm_done[WARM_WORDS];

void alloc_warm_fold(struct seg *s)
{
    if (s->warm_thread == t_warm_done)
        for (int i = 0; i < WARM_WORDS; i++)
            t_warm_done[i] |= s->warm_now[i];
    memset(s->warm_now, 0, sizeof s->warm_now);
    s->warm_thread = NULL;
}

/* true: s's running transaction is the calling thread's warm-up for class c (pool_take). */
static bool warm_up(struct seg *s, uint32_t c)
{
    uint64_t tx = SEG_TX_ENDED(s) + 1, bit = 1ull << (c & 63);
    if (s->warm_thread != t_warm_done || s->warm_tx != tx) {
        alloc_warm_fold(s); /* another thread's bits: it let the segment go, which folded */
        s->warm_thread = t_warm_done;
        s->warm_tx = tx;
    }
    if (t_warm_done[c >> 6] & bit)
        return false;
    s->warm_now[c >> 6] |= bit;
    return true;
}

/* s's free list of class c is empty: refill it from the pool.  false: the pool is empty. */
static __attribute__((noinline)) bool pool_take(struct seg *s, uint32_t c)
{
    if (!__atomic_load_n(&a_pool[c].n, __ATOMIC_RELAXED)) {
        if (g_flags.NO_FREE_POOL) /* (its pool holds only what room sweeps gathered) */
            return false;
        /* s takes new memory now.  In the thread's first transaction that does so for this
         * class (its warm-up) it asks nobody: where every thread builds and frees its own data
         * (trees2), the first to free would otherwise give its objects to a segment still
         * building its first set, which must then copy the giver's pages (a copy-on-write
         * beside a running thread, ~13 us a page).  From its next such transaction on, the
         * next list of this class in another segment that passes POOL_HIGH gives (a list is
         * never given for its own segment's want). */
        if (!g_flags.NO_WARMUP_TAKES && warm_up(s, c)) {
            s->st.warmup_takes++;
            return false;
        }
        if (__atomic_load_n(&pool_wanted[c], __ATOMIC_RELAXED) != s->idx)
            __atomic_store_n(&pool_wanted[c], (uint8_t)s->idx, __ATOMIC_RELAXED);
        return false;
    }
    size_t want = POOL_TAKE / ((size_t)c << STMC_GRANULE_SHIFT), k;
    pthread_mutex_lock(&a_lock);
    struct u32vec *pool = &a_pool[c];
    k = pool->n < want ? pool->n : want;
    move_tail(pool, &s->freelist[c], k);
    if (pool->n >= want) /* more than enough: the want is met */
        __atomic_store_n(&pool_wanted[c], 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&a_lock);
    s->st.pool_takes += k;
    return k > 0;
}

/* Hand an object back to segment s's free list (small) or to the page allocator (large). */
static void give_back(struct seg *s, uint64_t off)
{
    uint32_t cls;
    uint64_t sz = obj_size(off, &cls);
    __atomic_store_n(ostate(off), OBJ_FREE, __ATOMIC_RELAXED);
    if (cls) {
        struct u32vec *fl = &s->freelist[cls];
        vec32_push(fl, gran_of(off));
        /* past POOL_HIGH, every 64th free looks whether another segment wants some */
        if (UNLIKELY((fl->n & 63) == 0 && fl->n > pool_high_n[cls])) {
            uint8_t w = __atomic_load_n(&pool_wanted[cls], __ATOMIC_RELAXED);
            if (w && w != s->idx)
                pool_put(s, cls);
        }
    } else {
        pages_free(off, sz / STMC_PAGE_SIZE);
    }
}

/* The start of stm_alloc, stm_free and stm_realloc: the running transaction (an implicit one
 * outside atomic blocks), its block's frame still live, and marked (an unmarked attempt
 * changes the heap only after running again with markers). */
static inline struct seg *heap_op_enter(void)
{
    struct seg *s = tx_ensure_running();
    if (s->atomic_depth > 0)
        tx_check_frame(s);
    if (UNLIKELY(s->unmarked))
        tx_upgrade(s);
    return s;
}

/* The bytes stm_alloc gives an object of sz bytes (sz >= 1), as obj_size reports them (and
 * *cls_out, 0 for a large object): a class of 16-byte steps up to SMALL_MAX, else whole pages. */
#define SMALL_MAX 2048
static inline uint64_t alloc_size_of(uint64_t sz, uint32_t *cls_out)
{
    if (sz <= SMALL_MAX) {
        *cls_out = (uint32_t)((sz + STMC_GRANULE - 1) >> STMC_GRANULE_SHIFT);
        return (uint64_t)*cls_out << STMC_GRANULE_SHIFT;
    }
    *cls_out = 0;
    return (sz + STMC_PAGE_SIZE - 1) & ~(STMC_PAGE_SIZE - 1);
}

/* The short paths of stm_alloc and stm_free (STM_NO_ALLOC_FAST=1 turns them off): a small
 * object of at most FAST_MAX_GRANULES granules, in an atomic block that runs marked, taken from
 * (or given back to) the segment's free list when that needs no growth and no pool, on a page
 * the segment holds privately.  They do what the general paths do (heap_op_enter, write_range,
 * free_fresh, give_back), in one function with everything in locals: allocation-heavy blocks
 * called the general paths' helpers a dozen times an object (trees2: ~390 runtime instructions
 * a node against glibc's ~100 for malloc and free).  NULL / false: take the general path. */
#define FAST_MAX_GRANULES 4
static inline struct seg *fast_seg(void)
{
    struct seg *s = t_ts.seg;
    if (UNLIKELY(!s || s->atomic_depth <= 0 || !s->running || s->unmarked || s->implicit ||
                 g_flags.NO_ALLOC_FAST || g_flags.NO_FRESH_FREE))
        return NULL;
    if (UNLIKELY(frame_gone(s)))
        return NULL;
    return s;
}

static inline void *alloc_fast(size_t size)
{
    struct seg *s = fast_seg();
    uint64_t c = (size + STMC_GRANULE - 1) >> STMC_GRANULE_SHIFT;
    if (!s || size - 1 >= FAST_MAX_GRANULES * STMC_GRANULE)
        return NULL;
    struct u32vec *fl = &s->freelist[c];
    if (!fl->n || s->wset->cap - s->wset->n < c || s->allocs.n == s->allocs.cap)
        return NULL;
    uint32_t g = fl->v[fl->n - 1];
    uint64_t off = off_of(g);
    if ((g & (GRANULES_PER_PAGE - 1)) + c > GRANULES_PER_PAGE ||
        !__atomic_load_n(&s->priv[page_of(off)], __ATOMIC_ACQUIRE))
        return NULL;
    fl->n--;
    __atomic_store_n(ostate(off), OBJ_FRESH + s->idx, __ATOMIC_RELAXED);
    s->allocs.v[s->allocs.n++] = g;
    record_granules(s, g, g + c, WS_FRESH, s->base);
    STAT(s, allocs);
    STAT(s, allocs_fast);
    if (!fresh_read_mark(WS_FRESH))
        STAT(s, fresh_rmark_skips);
    return (void *)(uintptr_t)off;
}

/* Zeroes n <= FAST_MAX_GRANULES bytes with stores of constant size (a loop became a memset
 * call). */
static inline void clear_small(uint8_t *p, uint32_t n)
{
    switch (n) {
    case 4: memset(p, 0, 4); break;
    case 3: memset(p, 0, 2); p[2] = 0; break;
    case 2: memset(p, 0, 2); break;
    case 1: p[0] = 0; break;
    }
}

/* An object freed by the transaction that allocated it, when it is that transaction's latest
 * allocation and its granules are the write set's last entries (no granule entered the write
 * set since): both lists drop it.  Otherwise its entries stay, dead, and a block that allocated
 * and freed a temporary in a loop held a write-set entry per granule and an allocation entry
 * per iteration until its commit (an adversarial test: 95 MB after 8 M 32-byte temporaries in
 * one block, 1.4 MB for the plain-C build).  Small objects only; counter fresh_pops, switch
 * STM_NO_FRESH_POP=1. */
static inline void fresh_pop(struct seg *s, uint32_t g, uint32_t c)
{
    size_t an = s->allocs.n, wn = s->wset->n;
    if (an == 0 || s->allocs.v[an - 1] != g || wn < c || s->allocs_published ||
        g_flags.NO_FRESH_POP)
        return;
    const uint32_t *w = s->wset->v + wn - c;
    for (uint32_t i = 0; i < c; i++)
        if (w[i] != ((g + i) | WS_FRESH))
            return;
    s->allocs.n = an - 1;
    s->wset->n = wn - c;
    fresh_set_truncate(s, wn - c); /* (also without STM_DEBUG: it may be set mid-transaction) */
    STAT(s, fresh_pops);
}

/* A large object freed by the transaction that allocated it, when at most 4 times as many
 * entries as its own (or FRESH_CUT_TAIL) entered the write set after it (a counter bumped
 * beside a large temporary, or the bigger copy that stm_realloc made of it): its entries, one
 * block of consecutive fresh granules appended at its allocation, are cut out of the write set
 * (the later entries move down), and its allocation entry too where it is among the list's
 * last FRESH_CUT_TAIL.  An entry moves only for an object allocated before it and cut after
 * it, which paid a quarter of the move at its allocation: the moves stay linear.  Otherwise a
 * block that allocated, used and freed a 1 MiB temporary kept 65,536 dead entries, which its
 * commit walked, with the lock's wait, each time another segment held a snapshot (a review:
 * 75 us a block against 20 for malloc and free).  Switch STM_NO_FRESH_POP=1 (as fresh_pop),
 * counter fresh_cuts. */
#define FRESH_CUT_TAIL 64
static void fresh_cut(struct seg *s, uint32_t g, uint64_t c)
{
    uint32_t *w = s->wset->v;
    size_t wn = s->wset->n;
    if (g_flags.NO_FRESH_POP || s->allocs_published || wn < c)
        return;
    size_t tail = 4 * c > FRESH_CUT_TAIL ? 4 * c : FRESH_CUT_TAIL;
    size_t lo = wn - c > tail ? wn - c - tail : 0, p = wn - c; /* where its block may start */
    while (w[p] != (g | WS_FRESH)) {
        if (p == lo)
            return;
        p--;
    }
    for (uint64_t i = 1; i < c; i++)
        if (w[p + i] != ((g + i) | WS_FRESH))
            return;
    memmove(&w[p], &w[p + c], (wn - p - c) * sizeof *w);
    s->wset->n = wn - c;
    if (s->implicit_again > s->wset->n)
        s->implicit_again = s->wset->n;
    fresh_set_truncate(s, p);
    uint32_t *a = s->allocs.v;
    size_t an = s->allocs.n, alo = an > FRESH_CUT_TAIL ? an - FRESH_CUT_TAIL : 0;
    for (size_t i = an; i-- > alo;)
        if (a[i] == g) {
            memmove(&a[i], &a[i + 1], (an - i - 1) * sizeof *a);
            s->allocs.n = an - 1;
            break;
        }
    STAT(s, fresh_cuts);
}

/* The dead entries that fresh_pop leaves (objects freed in another order than allocated), and
 * the duplicates of memory allocated again after such a free, are dropped from a list before
 * it grows, so a block's lists hold its live objects' entries plus at most as many again: a
 * block that kept three temporaries in a queue grew like one that never freed them.  Only in
 * a transaction that did a fresh free; after a compaction that leaves a list more than half
 * full it grows too (O(1) an entry, amortised).  A live entry is one whose granule carries the
 * transaction's write marker (a fresh free clears them; allocated objects: the first
 * granule's, and the state byte).  Of several copies of a granule only the last is the live
 * one: an entry is appended only while the marker is not the version, so the earlier copies
 * were appended before a fresh free cleared it, and may carry another tag (a dead WS_FRESH
 * entry of a freed large object, then a plain one for the other segment's object that took
 * its pages: keeping the first made the commit skip privatising that page, and a reader in
 * a third segment saw the write inside its snapshot).  So the lists are walked from their
 * end, keeping the last copy: its marker set to 0 drops the earlier ones, and is put back
 * after.  Switch STM_NO_FRESH_COMPACT=1, counter fresh_compactions. */
static bool compact_due(struct seg *s)
{
    return s->fresh_freed && !s->allocs_published && !g_flags.NO_FRESH_COMPACT;
}

/* Keeps, in order, the last copy of each live entry of v (the walk and the markers as above;
 * allocs: v is the allocation list, whose live objects are also in the fresh state); returns
 * how many. */
static size_t compact_vec(struct seg *s, struct u32vec *v, bool allocs)
{
    uint8_t ver = s->version, *wm = wmark(s, 0), mine = (uint8_t)(OBJ_FRESH + s->idx);
    uint32_t *w = v->v;
    size_t n = v->n, k = n;
    for (size_t i = n; i-- > 0;) {
        uint32_t g = w[i] & ~WS_FRESH;
        if (wm[g] == ver &&
            (!allocs || __atomic_load_n(ostate(off_of(g)), __ATOMIC_RELAXED) == mine)) {
            wm[g] = 0;
            w[--k] = w[i];
        }
    }
    memmove(w, w + k, (n - k) * sizeof *w);
    v->n = n - k;
    for (size_t i = 0; i < v->n; i++)
        wm[w[i] & ~WS_FRESH] = ver;
    STAT(s, fresh_compactions);
    return v->n;
}

/* Room for need more write-set entries (page_part_prepare, when it is short). */
void wset_room(struct seg *s, uint64_t need)
{
    bool compacted = compact_due(s);
    if (compacted) {
        size_t k = compact_vec(s, s->wset, false);
        if (s->implicit_again > k)
            s->implicit_again = k;
        fresh_set_truncate(s, 0);
    }
    while (s->wset->cap - s->wset->n < need || (compacted && s->wset->n > s->wset->cap / 2))
        vec32_grow(s->wset);
    s->hdr->ws_voff = (uint64_t)(uintptr_t)s->wset->v - (uint64_t)(uintptr_t)s->base;
    /* Inline appends up to the new capacity (not "if ws_lim is non-zero": a write set never
     * grown has capacity 0, and its first transaction then never appended inline). */
    if (s->running)
        ws_inline_open(s);
}

static void allocs_room(struct seg *s)
{
    bool compacted = compact_due(s);
    if (compacted)
        compact_vec(s, &s->allocs, true);
    while (s->allocs.n == s->allocs.cap || (compacted && s->allocs.n > s->allocs.cap / 2))
        vec32_grow(&s->allocs);
}

static inline bool free_fast(uint64_t off)
{
    struct seg *s = fast_seg();
    if (!s || off - STMC_HEAP_START >= HEAP_SIZE || (off & (STMC_GRANULE - 1)) ||
        __atomic_load_n(ostate(off), __ATOMIC_RELAXED) != OBJ_FRESH + s->idx)
        return false;
    /* Only an object's first granule has a state other than OBJ_FREE: off is one that this
     * transaction allocated (check_object_start would pass). */
    uint32_t pi = pageinfo[page_of(off)], c = pi & 0xFF;
    struct u32vec *fl = &s->freelist[c];
    if ((pi & PI_LARGE) || c > FAST_MAX_GRANULES || fl->n == fl->cap ||
        ((fl->n + 1) & 63) == 0)
        return false;
    clear_small(wmark(s, off >> STMC_GRANULE_SHIFT), c);
    s->fresh_freed = 1;
    fresh_pop(s, gran_of(off), c);
    __atomic_store_n(ostate(off), OBJ_FREE, __ATOMIC_RELAXED);
    fl->v[fl->n++] = gran_of(off);
    STAT(s, frees_fresh);
    STAT(s, frees_fast);
    return true;
}

static __attribute__((noinline)) void *alloc_general(size_t size, bool may_fail);

EXPORT void *stm_alloc(size_t size)
{
    void *fast = alloc_fast(size);
    void *p = fast ? fast : alloc_general(size, false);
    if (UNLIKELY(g_flags.CONFLICTS)) /* (the report names objects by their allocation) */
        conflicts_alloc((uint64_t)(uintptr_t)p, __builtin_return_address(0));
    return p;
}

/* may_fail: NULL instead of stopping the process where a large object finds no room. */
static __attribute__((noinline)) void *alloc_general(size_t size, bool may_fail)
{
    struct seg *s = heap_op_enter();
    if (size > HEAP_SIZE)
        stmc_fatal("heap exhausted: stm_alloc(%zu) is larger than the heap; raise STM_HEAP_MB "
                   "(at most 7168)", size);
    uint32_t c;
    uint64_t rounded = alloc_size_of(size ? size : 1, &c), off;
    if (c) {
        if (s->freelist[c].n || pool_take(s, c)) {
        from_list:
            off = off_of(s->freelist[c].v[--s->freelist[c].n]);
        } else {
            if (s->bump[c] + rounded > s->bump_end[c]) {
                uint64_t ch = pages_get(s, CHUNK_PAGES, c, false);
                if (!ch) /* objects of the class came back */
                    goto from_list;
                for (uint32_t i = 0; i < CHUNK_PAGES; i++)
                    pageinfo[page_of(ch) + i] = c | (i << 8);
                s->bump[c] = ch;
                s->bump_end[c] = ch + CHUNK_PAGES * STMC_PAGE_SIZE;
            }
            off = s->bump[c];
            s->bump[c] += rounded;
        }
    } else {
        uint64_t np = rounded / STMC_PAGE_SIZE;
        if (np > 0xFFFFFF)
            stmc_fatal("heap exhausted: stm_alloc(%zu) is too large; raise STM_HEAP_MB", size);
        off = pages_get(s, np, 0, may_fail);
        if (!off)
            return NULL;
        pageinfo[page_of(off)] = PI_LARGE | (uint32_t)np;
        for (uint64_t i = 1; i < np; i++)
            pageinfo[page_of(off) + i] = PI_LARGE_CONT;
    }
    __atomic_store_n(ostate(off), g_flags.NO_FRESH_FREE ? OBJ_ALLOCATED : OBJ_FRESH + s->idx,
                     __ATOMIC_RELAXED);
    if (s->allocs.n == s->allocs.cap)
        allocs_room(s);
    s->allocs.v[s->allocs.n++] = gran_of(off);
    mark_write(s, off, rounded, true);
    memset(s->base + off, 0, rounded);
    STAT(s, allocs);
    if (!fresh_read_mark(WS_FRESH))
        STAT(s, fresh_rmark_skips);
    return (void *)(uintptr_t)off;
}

/* stm_free of an object that s's running transaction allocated: nobody else can hold a
 * reference, so it is free again at once.  Resetting its write markers makes its write-set
 * entries dead (commit publishes and logs only granules whose marker is the version); a later
 * write to the memory (after it is allocated again) marks it anew.  The read markers that its
 * reads set must not stay where the memory goes to another segment before this transaction
 * ends, or a commit there that writes it is a conflict for this one (an adversarial test:
 * 1,600 attempts for 200 blocks that shared nothing with the other thread, against 206
 * without fresh frees): a large object's pages leave at once, so its markers are reset here;
 * small objects leave only through the pool, and pool_put resets theirs. */
static void free_fresh(struct seg *s, uint64_t off)
{
    uint32_t cls;
    uint64_t sz = obj_size(off, &cls);
    memset(wmark(s, off >> STMC_GRANULE_SHIFT), 0, sz >> STMC_GRANULE_SHIFT);
    if (!cls) /* a large object's pages leave now; small objects: pool_put */
        memset(rmark(s, off >> STMC_GRANULE_SHIFT), 0, sz >> STMC_GRANULE_SHIFT);
    s->fresh_freed = 1;
    if (cls)
        fresh_pop(s, gran_of(off), cls);
    else
        fresh_cut(s, gran_of(off), sz >> STMC_GRANULE_SHIFT);
    give_back(s, off);
    STAT(s, frees_fresh);
}

/* The state of the object at off (alloc_objstate) for s's running transaction.  objstate is
 * not transactional: a doomed transaction may hold a pointer to an object that a committed one
 * freed meanwhile.  When the object does not read allocated, an atomic transaction validates
 * first (and aborts if doomed): only a transaction that is still valid misuses. */
static int objstate_validated(struct seg *s, uint64_t off)
{
    int st = alloc_objstate(off);
    if (st != OBJ_ALLOCATED && s->atomic_depth > 0 && !s->inevitable) {
        stm_validate();
        st = alloc_objstate(off);
    }
    return st;
}

/* The first offset of the chunk that holds the small object at off. */
static uint64_t chunk_of(uint64_t off)
{
    uint64_t page = page_of(off);
    return STMC_HEAP_START + (page - (pageinfo[page] >> 8)) * STMC_PAGE_SIZE;
}

/* The first granule's offset of the object that holds off (an allocated one or not), or 0
 * where no chunk or large object ever held the page. */
static uint64_t object_start(uint64_t off)
{
    uint64_t page = page_of(off);
    uint32_t pi = pageinfo[page];
    while ((pi & PI_LARGE_CONT) && page > 0)
        pi = pageinfo[--page];
    if (pi & PI_LARGE)
        return STMC_HEAP_START + page * STMC_PAGE_SIZE;
    if (pi == 0 || (pi & PI_LARGE_CONT))
        return 0;
    uint64_t chunk = chunk_of(off);
    uint64_t size = (uint64_t)(pi & 0xFF) << STMC_GRANULE_SHIFT;
    return chunk + (off - chunk) / size * size;
}

/* The start of the object that holds off and its size (STM_CONFLICTS's report), or 0. */
uint64_t alloc_object_of(uint64_t off, uint64_t *size)
{
    if (off < STMC_HEAP_START || off >= alloc_heap_top())
        return 0;
    uint64_t start = object_start(off);
    uint32_t c;
    if (start)
        *size = obj_size(start, &c);
    return start;
}

/* off must be the start of an object (allocated or not: the caller looks at its state).  An
 * atomic transaction validates before it reports the misuse: a doomed one may hold a pointer
 * into memory that changed shape since (a chunk given back by a room sweep and taken again
 * for objects of another size, a large object's pages taken for a chunk). */
static void check_object_start(struct seg *s, uint64_t off, const char *fn, const void *ra)
{
    bool outside = off < STMC_HEAP_START || off >= alloc_heap_top() || (off & (STMC_GRANULE - 1));
    if (!outside && object_start(off) == off)
        return;
    if (s->atomic_depth > 0 && !s->inevitable)
        stm_validate();
    if (outside)
        stmc_fatal_at(ra, "%s(0x%llx): not a pointer returned by stm_alloc", fn,
                      (unsigned long long)off);
    stmc_fatal_at(ra, "%s(0x%llx): not a pointer returned by stm_alloc (inside an object?)", fn,
                  (unsigned long long)off);
}

bool alloc_fresh_in(struct seg *s, uint64_t off)
{
    uint64_t start = object_start(off);
    return start && __atomic_load_n(ostate(start), __ATOMIC_RELAXED) == OBJ_FRESH + s->idx;
}

static __attribute__((noinline)) void free_general(uint64_t off, const void *ra);

EXPORT void stm_free(void *p)
{
    uint64_t off = (uint64_t)(uintptr_t)p;
    if (off && !free_fast(off))
        free_general(off, __builtin_return_address(0));
}

/* ra: stm_free's caller, for the messages of a misuse. */
static __attribute__((noinline)) void free_general(uint64_t off, const void *ra)
{
    struct seg *s = heap_op_enter();
    check_object_start(s, off, "stm_free", ra);
    if (__atomic_load_n(ostate(off), __ATOMIC_RELAXED) == OBJ_FRESH + s->idx) {
        free_fresh(s, off);
        return;
    }
    int st = objstate_validated(s, off);
    if (st == OBJ_FREED)
        stmc_fatal_at(ra, "double free: stm_free(0x%llx) of an object already freed",
                      (unsigned long long)off);
    /* A slot of a chunk that holds no object now: freed and taken back by the allocator, or
     * never handed out; p may also point past a small object, onto the next slot (an
     * interior pointer of a 16-byte object is such a slot).  Not called a double free:
     * which of these it is cannot be told. */
    if (st != OBJ_ALLOCATED)
        stmc_fatal_at(ra, "stm_free(0x%llx): not an allocated object (freed already, also "
                      "earlier in this transaction; or a pointer into an object, or one that "
                      "stm_alloc never returned)", (unsigned long long)off);
    if (!g_flags.NO_FREE_MARK) {
        uint8_t mine = (uint8_t)(OBJ_PENDING | s->idx);
        uint8_t cur = __atomic_load_n(ostate(off), __ATOMIC_RELAXED);
        if (cur == mine)
            stmc_fatal_at(ra, "double free: stm_free(0x%llx) twice in one transaction",
                          (unsigned long long)off);
        /* Only an unmarked object gets the mark; one marked by another running transaction
         * stays as it is, and the second of the two commits reports the double free. */
        if (cur == OBJ_ALLOCATED)
            __atomic_compare_exchange_n(ostate(off), &cur, mine, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED);
        STAT(s, free_marks);
    } else {
        for (size_t i = 0; i < s->frees.n; i++)
            if (s->frees.v[i] == gran_of(off))
                stmc_fatal_at(ra, "double free: stm_free(0x%llx) twice in one transaction",
                              (unsigned long long)off);
    }
    vec32_push(&s->frees, gran_of(off));
}

void alloc_commit_locked(struct seg *s, uint64_t seq)
{
    for (size_t i = 0; i < s->frees.n; i++) {
        uint64_t off = off_of(s->frees.v[i]);
        if (alloc_objstate(off) != OBJ_ALLOCATED)
            stmc_fatal("double free: stm_free(0x%llx) by two transactions",
                       (unsigned long long)off);
        __atomic_store_n(ostate(off), OBJ_FREED, __ATOMIC_RELAXED);
        if (g_cs.dq_head + g_cs.dq_n == g_cs.dq_cap) {
            if (g_cs.dq_head > 0) {
                memmove(g_cs.dq, g_cs.dq + g_cs.dq_head, g_cs.dq_n * sizeof *g_cs.dq);
                g_cs.dq_head = 0;
            }
            if (g_cs.dq_n == g_cs.dq_cap) {
                if (g_cs.dq_cap >= UINT32_MAX / 2)
                    stmc_fatal("out of memory (deferred frees: %u pending)", g_cs.dq_n);
                g_cs.dq_cap = g_cs.dq_cap ? g_cs.dq_cap * 2 : 256;
                g_cs.dq = rt_realloc(g_cs.dq, g_cs.dq_cap * sizeof *g_cs.dq);
                if (!g_cs.dq)
                    stmc_fatal("out of memory (deferred frees)");
            }
        }
        g_cs.dq[g_cs.dq_head + g_cs.dq_n++] = (struct deferred){off, seq};
        STAT(s, frees);
    }
}

bool alloc_none_live(struct seg *s)
{
    uint8_t mine = (uint8_t)(OBJ_FRESH + s->idx);
    for (size_t i = 0; i < s->allocs.n; i++)
        if (*ostate(off_of(s->allocs.v[i])) == mine)
            return false;
    return true;
}

void alloc_publish(struct seg *s)
{
    /* Before the commit makes them reachable: after it, another transaction may free them.
     * Before its lock too: until then no other segment can reach them, so no one sees the
     * change, and the lock is held for fewer misses on these state bytes.  An abort after this
     * gives them back by their published state (alloc_undo). */
    s->allocs_published = 1;
    uint8_t mine = (uint8_t)(OBJ_FRESH + s->idx);
    size_t k = 0;
    for (size_t i = 0; i < s->allocs.n; i++) {
        uint8_t *st = ostate(off_of(s->allocs.v[i]));
        if (*st == mine) {
            __atomic_store_n(st, OBJ_ALLOCATED, __ATOMIC_RELAXED);
            s->allocs.v[k++] = s->allocs.v[i];
        }
    }
    /* Only the live ones stay listed: an object the transaction freed again is free memory
     * now, which another segment may have allocated and committed meanwhile (a large object's
     * pages go back to the page allocator at once); an abort from here on would otherwise
     * give that segment's object back (test alloc_undo_fresh_reused.c).  Each live object is
     * listed once (one allocated again after a fresh free was listed twice). */
    s->allocs.n = k;
}

#define RECLAIM_SCAN_PERIOD 8

/* (lock) The oldest snapshot a segment holds (its start_seq), or the log's tail.  A segment
 * that is starting (snap set, start_seq not yet stored) shows its previous start_seq: older,
 * so this errs on the safe side. */
static uint64_t oldest_snapshot(void)
{
    uint64_t min = g_cs.tail->seq;
    for (int i = 1; i <= g_seg_hi; i++) {
        if (!__atomic_load_n(&g_seg[i].snap, __ATOMIC_SEQ_CST))
            continue;
        uint64_t seq = __atomic_load_n(&g_seg[i].start_seq, __ATOMIC_RELAXED);
        if (seq < min)
            min = seq;
    }
    return min;
}

/* (lock) After a scan that found the bound min.  When the oldest deferred free stays pinned by
 * the same oldest snapshot for rc_stuck_limit scans in a row (a segment whose snapshot has not
 * moved: busy segments start new transactions and move theirs), the snapshots of segments
 * idle between transactions are let go (tx_quiesce_idle_locked: a membarrier, so not at every
 * scan) and the bound is found again.  The limit starts at RECLAIM_STUCK_FIRST and doubles
 * after each try that let nothing go (a running transaction pins: trying again soon would not
 * help), up to RECLAIM_STUCK_MAX scans; one that helped brings it back down. */
#define RECLAIM_STUCK_FIRST 2u
#define RECLAIM_STUCK_MAX 4096u
static uint32_t rc_stuck, rc_stuck_limit = RECLAIM_STUCK_FIRST;
static uint64_t rc_last_min;

static void reclaim_stuck(struct seg *s, uint64_t min)
{
    bool same = min == rc_last_min;
    uint64_t oldest_free = g_cs.dq[g_cs.dq_head].seq;
    rc_last_min = min;
    if (oldest_free <= min || !same) {
        rc_stuck = 0;
        return;
    }
    /* Tries that let nothing go double the limit, but only a running transaction makes them
     * fail: once the pinning segment is idle, try at once (a long transaction had raised the
     * limit to 4,096 scans, and the heap ran out before the next try). */
    if (++rc_stuck < rc_stuck_limit && !tx_idle_pinner_locked(s, oldest_free))
        return;
    rc_stuck = 0;
    if (tx_quiesce_idle_locked(s, oldest_free) == 0) {
        if (rc_stuck_limit < RECLAIM_STUCK_MAX)
            rc_stuck_limit *= 2;
        return;
    }
    rc_stuck_limit = RECLAIM_STUCK_FIRST;
    g_cs.rc_bound = oldest_snapshot();
}

/* Segments whose reclaimed list holds frees taken off the queue and not yet handed back
 * (alloc_reclaimed): an allocation out of room waits for them (reclaim_for_room). */
static int g_handbacks;

/* (lock) The deferred frees up to rc_bound leave the queue: into s's reclaimed list, handed
 * back after the lock (alloc_reclaimed), or at once with STM_NO_UNLOCKED_REUSE=1. */
static size_t take_safe_frees(struct seg *s)
{
    bool later = !g_flags.NO_UNLOCKED_REUSE, was_empty = s->reclaimed.n == 0;
    size_t taken = 0;
    while (g_cs.dq_n && g_cs.dq[g_cs.dq_head].seq <= g_cs.rc_bound) {
        uint64_t off = g_cs.dq[g_cs.dq_head].off;
        if (later) {
            vec32_push(&s->reclaimed, gran_of(off));
        } else {
            give_back(s, off);
            STAT(s, frees_reused);
        }
        g_cs.dq_head++;
        g_cs.dq_n--;
        taken++;
    }
    if (was_empty && s->reclaimed.n)
        __atomic_add_fetch(&g_handbacks, 1, __ATOMIC_RELAXED);
    return taken;
}

/* (lock) Some deferred frees are pending (alloc_reclaim_locked checks). */
void alloc_reclaim_pending(struct seg *s)
{
    if (g_cs.dq[g_cs.dq_head].seq > g_cs.rc_bound) {
        if (!g_flags.NO_LAZY_RECLAIM && ++g_cs.rc_skipped < RECLAIM_SCAN_PERIOD)
            return;
        g_cs.rc_skipped = 0;
        uint64_t min = oldest_snapshot();
        g_cs.rc_bound = min;
        STAT(s, reclaim_scans);
        reclaim_stuck(s, min);
    }
    take_safe_frees(s);
}

/* After the commit's lock: the deferred frees its locked section found safe go back to s's
 * free lists (or, large ones, to the page allocator).  Nothing else can reach them: no
 * snapshot sees them allocated, and the queue no longer lists them.  Handing them back took
 * ~100 of the ~390 cycles a commit held the lock (hashmap at 2 threads: the state byte and the
 * size class of each object, lines the freeing core wrote last): the other committer waited
 * for them.  STM_NO_UNLOCKED_REUSE=1: under the lock, as before. */
void alloc_reclaimed(struct seg *s)
{
    if (!s->reclaimed.n)
        return;
    for (size_t i = 0; i < s->reclaimed.n; i++)
        give_back(s, off_of(s->reclaimed.v[i]));
    s->st.frees_reused += s->reclaimed.n;
    s->st.reuses_unlocked += s->reclaimed.n;
    s->reclaimed.n = 0;
    __atomic_sub_fetch(&g_handbacks, 1, __ATOMIC_RELEASE);
}

/* The heap has no room for an allocation of s's running transaction: the deferred frees that
 * no snapshot can see any more go back now, not at the next commit's lazy scan (every 8th
 * commit that has one pending: a vector grown by exact page counts in atomic blocks left 8
 * old copies waiting, and a 64 MiB heap ran out at 9 MiB of vector), and idle segments'
 * snapshots that pin the oldest free are let go first (tx_quiesce_idle_locked).  Not under
 * g_lock or a_lock.  true: some came back (the caller tries again). */
static bool reclaim_for_room(struct seg *s)
{
    bool wait = false;
    size_t n = 0; /* frees taken (with STM_NO_UNLOCKED_REUSE=1 handed back at once) */
    lock();
    if (g_cs.dq_n) {
        uint64_t oldest_free = g_cs.dq[g_cs.dq_head].seq, min = oldest_snapshot();
        if (oldest_free > min && tx_quiesce_idle_locked(s, oldest_free) > 0)
            min = oldest_snapshot();
        g_cs.rc_bound = min;
        g_cs.rc_skipped = 0;
        STAT(s, reclaim_scans);
        n = take_safe_frees(s);
    }
    /* Nothing here, but other segments are handing back what they took: wait for them (a
     * second thread out of room found the queue emptied by the first and stopped while the
     * first was still handing the pages back; a review's find). */
    if (!n && __atomic_load_n(&g_handbacks, __ATOMIC_ACQUIRE))
        wait = true;
    /* Frees pending that a running transaction's snapshot pins (one that is just starting
     * shows its previous start: a review's find; a short transaction ends soon): a pause,
     * then the caller tries again (at most RECLAIM_ROOM_TRIES times: ~6 ms). */
    bool pinned = !n && !wait && g_cs.dq_n;
    unlock();
    if (pinned) {
        struct timespec ts = {0, 100000};
        syscall(SYS_nanosleep, &ts, NULL); /* (no cancellation point: see wait_locked) */
        return true;
    }
    if (n) {
        STAT(s, reclaims_for_room);
        alloc_reclaimed(s);
    } else if (wait) {
        for (unsigned k = 0; __atomic_load_n(&g_handbacks, __ATOMIC_ACQUIRE);)
            spin_backoff(&k);
    }
    return n > 0 || wait;
}

/* ---- A heap out of room: every segment's free small objects, and whole free chunks ----------
 * Small objects go back to the free list of the segment that reclaims them and stay there
 * (the pool takes from a list only while its owner frees), and a chunk, once a class took it,
 * held objects of that class for good.  So a heap could run out while most of it was free:
 * one thread freed 12 MiB of 1 KiB objects in a 16 MiB heap, and a second thread's next
 * 1 KiB allocation stopped "heap exhausted" (the objects sat in the first segment's list);
 * a 2 KiB or an 8 KiB one could never have used them.  An allocation that finds no room after
 * reclaim_for_room now asks for them (g_room_want): its own lists and those of segments no
 * thread holds (a thread blocked in a join or a wait gave its segment back) go to the pool at
 * once, under g_lock, which a thread takes to claim a segment; a segment whose thread runs
 * gives its lists at the end of its next transaction (tx_finish) or at its next safe point
 * outside atomic blocks (let_go), which the yield flag asks for.  Then every chunk whose
 * objects are all in the pool goes back to the page allocator (release_chunks), for objects
 * of any size.  It tries for up to ROOM_WAIT_NS; a thread blocked where the runtime cannot
 * see it (a sleep, a read) keeps its lists until it runs again.  STM_NO_ROOM_SWEEP=1: no
 * sweep (the heap is exhausted after reclaim_for_room).  Counters room_sweeps, room_gives
 * (objects given to the pool), chunks_released. */
STMC_LINE int g_room_want; /* allocations out of room now: segments give their free lists */
#define ROOM_WAIT_NS 1000000000ull

/* o's free lists of small objects, whole, to the pool (list_to_pool), and what is left of its
 * bump chunks as free objects (never allocated: their state is free; an allocation from a list
 * marks and zeroes them as one from the bump does), so that a chunk partly handed out can go
 * back whole (a review's stress run of mixed sizes stopped "heap exhausted" with 40% of the
 * heap live, each segment holding a partly used chunk of every class it had used).  By o's
 * thread (o is s; not running, or in pages_get), or by s for a segment no thread holds
 * (under g_lock). */
static void lists_to_pool(struct seg *o, struct seg *s)
{
    for (uint32_t c = 1; c < NCLASSES; c++) {
        struct u32vec *fl = &o->freelist[c];
        uint64_t size = (uint64_t)c << STMC_GRANULE_SHIFT;
        uint64_t b = o->bump[c], e = o->bump_end[c];
        o->bump[c] = o->bump_end[c] = 0;
        for (; b + size <= e; b += size)
            vec32_push(fl, gran_of(b));
        if (fl->n) {
            s->st.room_gives += fl->n;
            list_to_pool(o, c, fl->n);
        }
    }
}

void alloc_give_lists(struct seg *s)
{
    lists_to_pool(s, s);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Every chunk whose objects are all in the pool goes back to the page allocator.  Such a chunk
 * is no segment's bump chunk any more: an object enters a list once allocated, or as the rest
 * of a bump chunk whose bump lists_to_pool reset, so a chunk still being bumped has objects in
 * no list.  Its page information stays until the pages are taken again (a stale pointer still
 * finds the old object's start and its free state). */
static void release_chunks(struct seg *s)
{
    size_t released = 0;
    pthread_mutex_lock(&a_lock);
    for (uint32_t c = 1; c < NCLASSES; c++) {
        struct u32vec *pool = &a_pool[c];
        size_t per = CHUNK_PAGES * STMC_PAGE_SIZE / ((size_t)c << STMC_GRANULE_SHIFT), k = 0;
        if (pool->n < per)
            continue;
        qsort(pool->v, pool->n, sizeof *pool->v, cmp_u32);
        for (size_t i = 0, j; i < pool->n; i = j) {
            uint64_t chunk = chunk_of(off_of(pool->v[i]));
            for (j = i + 1; j < pool->n && chunk_of(off_of(pool->v[j])) == chunk; j++)
                ;
            if (j - i == per) {
                pages_free_locked(chunk, CHUNK_PAGES);
                released++;
            } else {
                memmove(&pool->v[k], &pool->v[i], (j - i) * sizeof *pool->v);
                k += j - i;
            }
        }
        __atomic_store_n(&pool->n, k, __ATOMIC_RELAXED); /* pool_take reads a pool's n */
    }
    pthread_mutex_unlock(&a_lock);
    s->st.chunks_released += released;
}

/* (pages_get) No room for np pages, or for a chunk of class cls: gather the free lists and
 * release whole chunks, until the allocation fits or ROOM_WAIT_NS have passed.  true: *off
 * holds the pages, or (cls, *off 0) s's list of the class has objects again. */
static bool room_sweep(struct seg *s, uint64_t np, uint32_t cls, uint64_t *off)
{
    __atomic_add_fetch(&g_room_want, 1, __ATOMIC_SEQ_CST);
    STAT(s, room_sweeps);
    uint64_t t0 = mono_ns();
    bool got = false;
    *off = 0;
    for (unsigned k = 0;; k++) {
        lists_to_pool(s, s);
        lock();
        for (int i = 1; i <= g_seg_hi; i++) {
            struct seg *o = &g_seg[i];
            if (o == s)
                continue;
            if (!o->owned)
                lists_to_pool(o, s);
            else /* its next safe point outside atomic blocks ends its implicit transaction */
                __atomic_store_n(&o->hdr->yield, 1, __ATOMIC_RELAXED);
        }
        unlock();
        if (cls && pool_take(s, cls)) {
            got = true;
            break;
        }
        release_chunks(s);
        if ((*off = pages_alloc(np)) != 0) {
            got = true;
            break;
        }
        if (mono_ns() - t0 > ROOM_WAIT_NS)
            break;
        reclaim_for_room(s);
        if (cls && s->freelist[cls].n) {
            got = true;
            break;
        }
        if (k < 16) {
            sched_yield();
        } else {
            struct timespec ts = {0, 200000};
            syscall(SYS_nanosleep, &ts, NULL); /* (no cancellation point) */
        }
    }
    __atomic_sub_fetch(&g_room_want, 1, __ATOMIC_SEQ_CST);
    return got;
}

/* fork(): the allocator's lock is held across it (segment.c), so the child's copy is whole. */
void alloc_fork_lock(void)
{
    pthread_mutex_lock(&a_lock);
}

EXPORT int _stm_test_handbacks(void)
{
    return __atomic_load_n(&g_handbacks, __ATOMIC_ACQUIRE);
}

/* fork()'s child: the other threads do not exist there, nor their hand-backs in flight. */
void alloc_fork_child(void)
{
    struct seg *s = t_ts.seg;
    g_handbacks = s && s->reclaimed.n ? 1 : 0;
    g_room_want = 0; /* (the threads whose allocations wanted room do not exist here) */
}

void alloc_fork_unlock(void)
{
    pthread_mutex_unlock(&a_lock);
}

/* The running transaction of s ends without a commit: its frees are undone (their pending
 * marks dropped) and its allocations go back to s's free lists.  forget: in a fork child, where
 * s's thread does not exist, its allocations stay allocated instead (leaked: nothing outside
 * the dead transaction can reach them) and s's free lists and bump chunks are dropped, since
 * the thread may have been changing them when the parent forked. */
static void undo(struct seg *s, bool forget)
{
    for (size_t i = 0; i < s->frees.n; i++)
        unmark_pending(s, off_of(s->frees.v[i]));
    /* Objects freed fresh are on a free list already (listed twice if allocated again: the
     * first give_back makes the state OBJ_FREE).  After alloc_publish (an abort at commit)
     * only the live ones are listed, and they read OBJ_ALLOCATED: no other segment could
     * reach them yet. */
    uint8_t mine = (uint8_t)(OBJ_FRESH + s->idx);
    for (size_t i = 0; i < s->allocs.n; i++) {
        uint64_t off = off_of(s->allocs.v[i]);
        uint8_t st = *ostate(off);
        if (forget) {
            if (st == mine)
                *ostate(off) = OBJ_ALLOCATED;
        } else if (g_flags.NO_FRESH_FREE || st == mine ||
                   (s->allocs_published && st == OBJ_ALLOCATED)) {
            give_back(s, off);
        }
    }
    s->allocs.n = 0;
    s->frees.n = 0;
    s->allocs_published = 0;
    if (forget) {
        /* (a fork child) the lists of a thread that does not exist here are dropped, not given
         * to the pool: that thread may have been between any two of its stores (an entry
         * pushed and the count not yet, a bump chunk's rest listed and the bump not yet
         * reset), so they may list objects twice or not at all */
        for (int c = 0; c < NCLASSES; c++) {
            s->freelist[c].n = 0;
            s->bump[c] = s->bump_end[c] = 0;
        }
        s->reclaimed.n = 0; /* a hand-back its thread had not done: leaked (alloc_fork_child) */
    }
}

void alloc_undo(struct seg *s)
{
    undo(s, false);
}

void alloc_forget(struct seg *s)
{
    undo(s, true);
}

/* stm_realloc's move: the first n bytes of p (at off) into the new object q, and p freed. */
static void *realloc_move(struct seg *s, void *p, uint64_t off, void *q, uint64_t n)
{
    mark_read(s, off, n);
    memcpy(s->base + (uint64_t)(uintptr_t)q, s->base + off, n);
    stm_free(p);
    return q;
}

/* stm_realloc's work; ra: its caller. */
static void *realloc_body(void *p, size_t size, const void *ra)
{
    uint64_t off = (uint64_t)(uintptr_t)p;
    if (!off)
        return stm_alloc(size);
    struct seg *s = heap_op_enter();
    check_object_start(s, off, "stm_realloc", ra);
    if (__atomic_load_n(ostate(off), __ATOMIC_RELAXED) == (uint8_t)(OBJ_PENDING | s->idx))
        stmc_fatal_at(ra, "stm_realloc(0x%llx): the object was freed earlier in this "
                      "transaction", (unsigned long long)off); /* (stm_free would name itself) */
    if (objstate_validated(s, off) != OBJ_ALLOCATED)
        stmc_fatal_at(ra, "stm_realloc(0x%llx): not an allocated object (freed already; or a "
                      "pointer into an object, or one that stm_alloc never returned)",
                      (unsigned long long)off);
    uint32_t cls, new_cls;
    uint64_t old = obj_size(off, &cls);
    uint64_t want = size <= HEAP_SIZE ? alloc_size_of(size ? size : 1, &new_cls) : 0;
    if (want == old)
        return p;
    /* Large objects (whole pages) grow by half their size at least and stay where they are
     * while the new size fits and is more than half of theirs: a vector grown by steps costs
     * linear time, not quadratic (an object of 1 M longs grown a page at a time took 640x the
     * time of glibc's realloc, each step a new object, its copy and its commit's log entry). */
    if (want && cls == 0 && !g_flags.NO_REALLOC_SLACK) {
        if (want <= old && want > old / 2) {
            STAT(s, realloc_slack);
            return p;
        }
        /* tried, not required: near the heap's limit the exact size may still fit where 1.5
         * times the old one does not (a first fit over the freed runs, then new memory) */
        if (want > old && size < old + old / 2 && old + old / 2 <= HEAP_SIZE) {
            void *q = alloc_general(old + old / 2, true);
            if (q) {
                STAT(s, realloc_slack);
                return realloc_move(s, p, off, q, old);
            }
        }
    }
    return realloc_move(s, p, off, stm_alloc(size), size < old ? size : old);
}

/* A new object (stm_alloc) with the old one's bytes (read in this transaction, so a concurrent
 * writer of them conflicts), and the old one freed (stm_free); or p itself when its size
 * class (small) or page count (large) already fits. */
EXPORT void *stm_realloc(void *p, size_t size)
{
    const void *ra = __builtin_return_address(0);
    void *q = realloc_body(p, size, ra);
    if (UNLIKELY(g_flags.CONFLICTS) && q != p)
        conflicts_alloc((uint64_t)(uintptr_t)q, ra);
    return q;
}
