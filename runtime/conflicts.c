/* runtime/conflicts.c - STM_CONFLICTS=N: which atomic blocks lose time to conflicts.
 *
 * A program that does not scale usually aborts; the statistics say how often, not where.
 * With STM_CONFLICTS=N each abort for a conflict is recorded under the pair (the aborted
 * block, the block whose commit wrote what it had read), and at exit the N pairs that lost the
 * most time are printed, with a granule each pair conflicted on, as an offset in its object.
 * A block is named by the site record STM_ATOMIC passes as it enters (file:line and function),
 * or by stm_atomic's function; a commit outside atomic blocks (an implicit transaction, or a
 * test hook's) by "code outside atomic blocks".  The time lost is the aborted attempts' time,
 * from their start to the abort.
 *
 * The object is named by its size, the offset in it, and the call that allocated it: with the
 * flag set, stm_alloc and stm_realloc record their caller's return address for each object's
 * first granule (conflicts_alloc: two bytes a granule, an index into a hash table of up to
 * 6,144 distinct callers, in a map reserved at the first allocation and touched only where
 * objects start).
 * A review's port of STAMP's vacation conflicted on "bytes 32-47 of a 64-byte heap object"
 * in all its pairs, which could have been any of its records.
 *
 * Cost: with the flag at 0 (the default), nothing but a test of it at each transaction start
 * and abort and at each stm_alloc, and a store of the block's site into each commit-log entry.
 * With it set, a TSC reading at each start, a short locked update of a small table at each
 * conflict abort, and a two-byte store at each allocation (a look-up in the callers' table
 * when the thread's last allocation came from another call).
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAIRS 256 /* distinct (aborted, committer) pairs kept; later ones count as "others" */

#define NAME_MAX_LEN 240
struct pair {
    uintptr_t aborted, by; /* block sites (seg.block_site); aborted != 0 marks a used slot */
    uint64_t aborts, lost; /* lost: TSC cycles */
    uint64_t stale;        /* aborts that found read markers left from before a version wrap */
    uint64_t g;            /* the granule of the last abort counted here */
    /* the blocks' names, made when the pair is first met: a library's site records are gone
     * once it is unloaded (dlclose), and the report comes at exit */
    char name_a[NAME_MAX_LEN], name_b[NAME_MAX_LEN];
};

static struct pair g_pairs[PAIRS];
static uint64_t g_other_aborts, g_other_lost, g_stale_aborts;
static bool g_pairs_full; /* a pair found no slot */
static int g_pairs_lock; /* a spinlock: aborts for conflicts only */

/* Time stamps are TSC cycles (rdtsc: tens of cycles, no call), made milliseconds at exit by a
 * short calibration. */
uint64_t conflicts_now(void) { return __builtin_ia32_rdtsc(); }

/* TSC cycles per millisecond, measured over 2 ms (the TSC of x86-64 CPUs of this century
 * ticks at a constant rate). */
static double cycles_per_ms(void)
{
    uint64_t n0 = mono_ns(), c0 = conflicts_now(), n1, c1;
    do {
        n1 = mono_ns();
        c1 = conflicts_now();
    } while (n1 - n0 < 2000000);
    return (double)(c1 - c0) * 1e6 / (double)(n1 - n0);
}

static void pairs_lock(void)
{
    unsigned n = 0;
    while (__atomic_exchange_n(&g_pairs_lock, 1, __ATOMIC_ACQUIRE))
        spin_backoff(&n);
}

static void pairs_unlock(void) { __atomic_store_n(&g_pairs_lock, 0, __ATOMIC_RELEASE); }

/* A block's name: "file:line (function)", stm_atomic's function as addr2line takes it, or
 * what a commit outside blocks is.  A site record is read only where dladdr finds it in a
 * loaded object. */
static void site_name(uintptr_t site, char *buf, size_t room)
{
    if (site == 0 || site == SITE_TEST) {
        snprintf(buf, room, "%s", site ? "a test hook's transaction" : "code outside atomic blocks");
    } else if (site & SITE_FN) {
        const void *fn = (const void *)(site & ~SITE_FN);
        char where[NAME_MAX_LEN];
        if (stmc_code_where(fn, where, sizeof where) <= 0)
            snprintf(where, sizeof where, "%p", fn);
        snprintf(buf, room, "stm_atomic(%s)", where);
    } else {
        const struct _stm_block_site *b = (const struct _stm_block_site *)site;
        Dl_info info;
        if (dladdr(b, &info))
            snprintf(buf, room, "%s:%lu (%s)", b->file, b->line, b->func);
        else
            snprintf(buf, room, "a block at %p, in no loaded object", (const void *)b);
    }
}

/* The pair's slot: the one that holds it, or the free one where it goes (NULL: none left).
 * Under the pairs' lock. */
static struct pair *pair_slot(uintptr_t aborted, uintptr_t by, uint64_t h)
{
    for (unsigned i = 0; i < PAIRS; i++) {
        struct pair *q = &g_pairs[(h + i) & (PAIRS - 1)];
        if (!q->aborted || (q->aborted == aborted && q->by == by))
            return q;
    }
    return NULL;
}

/* stale: the segment's read markers may still hold versions of before its last wrap
 * (segment.c, "lazy" reset), so the conflict may be with a read of a transaction long
 * committed: one such abort per segment and wrap at most, counted apart in the report (a review
 * found a pair of threads that shared nothing reported as conflicting on their own frames). */
void conflicts_note(struct seg *s, bool stale)
{
    /* An abort with no site: a test hook's transaction, or a conflict found where the first
     * conflicting entry was not recorded (none is: every conflict comes from log_import). */
    uintptr_t aborted = s->frame ? s->block_site : 0, by = s->cf_by;
    uint64_t lost = s->cf_t0 ? conflicts_now() - s->cf_t0 : 0;
    if (!aborted)
        aborted = SITE_TEST; /* not 0, which marks a free slot */
    uint64_t h = (aborted * 0x9e3779b97f4a7c15ull) ^ (by * 0xc2b2ae3d27d4eb4full);
    h >>= 40; /* the products' high bits: sites are 8-aligned, so their low bits are 0 */
    pairs_lock();
    struct pair *p = pair_slot(aborted, by, h);
    if (p && !p->aborted) {
        /* A new pair: name its blocks with the lock let go.  dladdr takes the dynamic
         * loader's lock, which a thread in dlopen holds while a library's constructor runs;
         * that constructor's block may abort and wait here (a review's deadlock). */
        pairs_unlock();
        char a[NAME_MAX_LEN], b[NAME_MAX_LEN];
        site_name(aborted, a, sizeof a);
        site_name(by, b, sizeof b);
        pairs_lock();
        p = pair_slot(aborted, by, h); /* (another thread may have taken the slot) */
        if (p && !p->aborted) {
            p->aborted = aborted;
            p->by = by;
            memcpy(p->name_a, a, sizeof a);
            memcpy(p->name_b, b, sizeof b);
        }
    }
    g_stale_aborts += stale;
    if (p) {
        p->aborts++;
        p->stale += stale;
        p->lost += lost;
        p->g = s->cf_g;
    } else {
        g_other_aborts++;
        g_other_lost += lost;
        g_pairs_full = true;
    }
    pairs_unlock();
    s->cf_by = 0;
    s->cf_g = 0;
}

/* ---- allocation sites ------------------------------------------------------------------- */
/* The distinct callers of stm_alloc/stm_realloc, open addressing on the return address: a
 * caller's index is its slot + 1, 0 is "unknown".  At most SITES_FILL are taken; later
 * callers stay unknown, and their look-ups stay O(1) (a scan of a full table under the lock at
 * each allocation was a review's worry). */
#define SITE_SLOTS 8192
#define SITES_FILL 6144
static uint16_t *g_site_of; /* per heap granule: the index of the call that allocated the
                             * object that starts there; 0: unknown */
static uintptr_t g_alloc_sites[SITE_SLOTS];
static unsigned g_nalloc_sites;
static int g_sites_lock;
static bool g_site_map_failed;
static STMC_TLS uintptr_t t_site_ra; /* the thread's last caller, and its index */
static STMC_TLS uint16_t t_site_idx;
static STMC_TLS bool t_site_known;

/* Blocks made inevitable by an external call: the pair (the block, the call's site record,
 * which the pass emits for each wrapped call), counted; at exit the most frequent are
 * printed after the conflicts.  A user's server lost time to blocks that an `sprintf` into a
 * local buffer made inevitable, and nothing said where; the pass's remark (-Rpass-missed=stm)
 * names such calls written in a block, this also those in the functions a block calls. */
#define INEVS 64
struct inev {
    uintptr_t block;               /* seg.block_site */
    const struct _stm_site *call;  /* the wrapped call's site (NULL: none) */
    uint64_t n;                    /* 0: a free slot */
    char name_b[NAME_MAX_LEN], name_c[NAME_MAX_LEN];
};
static struct inev g_inevs[INEVS];
static uint64_t g_inev_other; /* pairs beyond INEVS */

void conflicts_inevitable(struct seg *s, const struct _stm_site *call)
{
    uintptr_t b = s->block_site;
    uint64_t h = ((uint64_t)b ^ (uint64_t)(uintptr_t)call) * 0x9e3779b97f4a7c15ull >> 58;
    pairs_lock();
    struct inev *q = NULL;
    for (unsigned i = 0; i < INEVS && !q; i++) {
        struct inev *c = &g_inevs[(h + i) & (INEVS - 1)];
        if (!c->n || (c->block == b && c->call == call))
            q = c;
    }
    if (!q) {
        g_inev_other++;
    } else {
        if (!q->n) {
            Dl_info info;
            q->block = b;
            q->call = call;
            site_name(b, q->name_b, sizeof q->name_b);
            if (call && dladdr(call, &info))
                snprintf(q->name_c, sizeof q->name_c, "%s:%u:%u", call->file, call->line,
                         call->col);
            else
                snprintf(q->name_c, sizeof q->name_c, "%s", "a call with no site record");
        }
        q->n++;
    }
    pairs_unlock();
}

static int by_count(const void *a, const void *b)
{
    uint64_t x = ((const struct inev *)a)->n, y = ((const struct inev *)b)->n;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void inevitable_print(FILE *f)
{
    static struct inev sorted[INEVS];
    unsigned n = 0;
    uint64_t total = g_inev_other;
    pairs_lock();
    for (unsigned i = 0; i < INEVS; i++)
        if (g_inevs[i].n) {
            sorted[n++] = g_inevs[i];
            total += g_inevs[i].n;
        }
    pairs_unlock();
    if (!total)
        return;
    qsort(sorted, n, sizeof sorted[0], by_count);
    fprintf(f, "stmc inevitable: atomic blocks made inevitable by a call %llu times; the %u most "
               "frequent of %u (block, call) pairs:\n",
            (unsigned long long)total,
            n < (unsigned)g_flags.CONFLICTS ? n : (unsigned)g_flags.CONFLICTS, n);
    for (unsigned i = 0; i < n && i < (unsigned)g_flags.CONFLICTS; i++)
        fprintf(f, "  %llu times: %s\n    by the call at %s\n", (unsigned long long)sorted[i].n,
                sorted[i].name_b, sorted[i].name_c);
    if (g_inev_other)
        fprintf(f, "  %llu times: pairs beyond the first %d, not told apart\n",
                (unsigned long long)g_inev_other, INEVS);
}

static void sites_lock(void)
{
    unsigned n = 0;
    while (__atomic_exchange_n(&g_sites_lock, 1, __ATOMIC_ACQUIRE))
        spin_backoff(&n);
}

static void sites_unlock(void) { __atomic_store_n(&g_sites_lock, 0, __ATOMIC_RELEASE); }

/* fork(): the table's lock is held across it (segment.c), so a child never inherits it held
 * by a thread that does not exist there (a review's child hung in its first stm_alloc). */
void conflicts_fork_lock(void) { sites_lock(); }
void conflicts_fork_unlock(void) { sites_unlock(); }

/* The caller's index (0: the table is full), and the map, reserved at the first call. */
static uint16_t site_index(uintptr_t ra, uint16_t **map)
{
    uint16_t idx = 0;
    sites_lock();
    if (!g_site_of && !g_site_map_failed) {
        void *m = mmap(NULL, (HEAP_SIZE >> STMC_GRANULE_SHIFT) * sizeof(uint16_t),
                       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) {
            g_site_map_failed = true;
        } else {
            madvise(m, (HEAP_SIZE >> STMC_GRANULE_SHIFT) * sizeof(uint16_t), MADV_DONTDUMP);
            __atomic_store_n(&g_site_of, (uint16_t *)m, __ATOMIC_RELEASE);
        }
    }
    for (unsigned h = (unsigned)((ra * 0x9e3779b97f4a7c15ull) >> 51);; h = (h + 1) % SITE_SLOTS) {
        if (g_alloc_sites[h] == ra) {
            idx = (uint16_t)(h + 1);
            break;
        }
        if (!g_alloc_sites[h]) {
            if (g_nalloc_sites < SITES_FILL) {
                g_alloc_sites[h] = ra;
                g_nalloc_sites++;
                idx = (uint16_t)(h + 1);
            }
            break;
        }
    }
    *map = g_site_of;
    sites_unlock();
    return idx;
}

void conflicts_alloc(uint64_t off, const void *ra)
{
    uint16_t *map = __atomic_load_n(&g_site_of, __ATOMIC_ACQUIRE);
    uintptr_t r = (uintptr_t)ra;
    if (!map || r != t_site_ra || !t_site_known) {
        t_site_idx = site_index(r, &map);
        t_site_ra = r;
        t_site_known = true;
        if (!map)
            return;
    }
    __atomic_store_n(&map[(off - STMC_HEAP_START) >> STMC_GRANULE_SHIFT], t_site_idx,
                     __ATOMIC_RELAXED);
}

/* Where the object that starts at off was allocated, as stmc_code_where puts it; 0: unknown. */
static int alloc_where(uint64_t off, char *buf, size_t room)
{
    uint16_t *map = __atomic_load_n(&g_site_of, __ATOMIC_ACQUIRE);
    if (!map)
        return 0;
    uint16_t idx = __atomic_load_n(&map[(off - STMC_HEAP_START) >> STMC_GRANULE_SHIFT],
                                   __ATOMIC_RELAXED);
    if (!idx)
        return 0;
    /* - 1: inside the call instruction, whose line addr2line gives */
    return stmc_code_where((const char *)g_alloc_sites[idx - 1] - 1, buf, room);
}

static const char *plural(uint64_t n) { return n == 1 ? "abort" : "aborts"; }

static int by_lost(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->lost != y->lost)
        return x->lost < y->lost ? 1 : -1;
    return x->aborts < y->aborts ? 1 : x->aborts > y->aborts ? -1 : 0;
}

void conflicts_print(void)
{
    if (!g_flags.CONFLICTS)
        return;
    static struct pair sorted[PAIRS];
    unsigned n = 0;
    uint64_t aborts = g_other_aborts, lost = g_other_lost;
    pairs_lock();
    for (unsigned i = 0; i < PAIRS; i++) {
        if (g_pairs[i].aborted) {
            sorted[n++] = g_pairs[i];
            aborts += g_pairs[i].aborts;
            lost += g_pairs[i].lost;
        }
    }
    pairs_unlock();
    qsort(sorted, n, sizeof sorted[0], by_lost);
    FILE *f = stderr;
    if (!aborts) {
        fprintf(f, "stmc conflicts: none\n");
        inevitable_print(f);
        return;
    }
    double ms = cycles_per_ms();
    fprintf(f, "stmc conflicts: %llu %s, %.3f ms lost in aborted attempts; the %u costliest "
               "of %s%u pairs (STM_CONFLICTS=%ld):\n",
            (unsigned long long)aborts, plural(aborts), (double)lost / ms,
            n < (unsigned)g_flags.CONFLICTS ? n : (unsigned)g_flags.CONFLICTS,
            g_pairs_full ? "more than " : "", n, g_flags.CONFLICTS);
    for (unsigned i = 0; i < n && i < (unsigned)g_flags.CONFLICTS; i++) {
        const struct pair *p = &sorted[i];
        fprintf(f, "  %llu %s, %.3f ms lost: %s\n    conflicted with a commit of %s\n",
                (unsigned long long)p->aborts, plural(p->aborts), (double)p->lost / ms,
                p->name_a, p->name_b);
        uint64_t off = p->g << STMC_GRANULE_SHIFT, size = 0;
        uint64_t start = alloc_object_of(off, &size);
        char where[NAME_MAX_LEN + 160];
        if (start && alloc_where(start, where, sizeof where) > 0)
            fprintf(f, "    on bytes %llu-%llu of a %llu-byte heap object (at 0x%llx) allocated "
                       "by a call in %s\n",
                    (unsigned long long)(off - start),
                    (unsigned long long)(off - start + STMC_GRANULE - 1),
                    (unsigned long long)size, (unsigned long long)start, where);
        else if (start)
            fprintf(f, "    on bytes %llu-%llu of a %llu-byte heap object (at 0x%llx)\n",
                    (unsigned long long)(off - start),
                    (unsigned long long)(off - start + STMC_GRANULE - 1),
                    (unsigned long long)size, (unsigned long long)start);
        else
            fprintf(f, "    on heap bytes 0x%llx-0x%llx\n", (unsigned long long)off,
                    (unsigned long long)(off + STMC_GRANULE - 1));
        if (p->stale)
            fprintf(f, "    (%llu of them found read markers left from before a version wrap: "
                       "perhaps no real conflict)\n",
                    (unsigned long long)p->stale);
    }
    if (g_other_aborts)
        fprintf(f, "  %llu %s, %.3f ms lost: pairs beyond the first %d, not told apart\n",
                (unsigned long long)g_other_aborts, plural(g_other_aborts), (double)g_other_lost / ms, PAIRS);
    if (g_stale_aborts)
        fprintf(f, "  %llu of the %llu %s found read markers left from before a version wrap "
                   "(each segment's markers are cleared lazily, at its first conflict after a "
                   "wrap): such a conflict may be with a read of an earlier transaction; "
                   "STM_NO_LAZY_RMARK=1 clears them at every wrap, to tell\n",
                (unsigned long long)g_stale_aborts, (unsigned long long)aborts, plural(aborts));
    inevitable_print(f);
}
