/* runtime/segment.h - segments: the per-segment header (at %gs:STMC_HDR_OFF) and the runtime's
 * private descriptor of each segment.  Internal to libstmc.
 */
#ifndef STMC_RT_SEGMENT_H
#define STMC_RT_SEGMENT_H

#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include "stmc/layout.h"
#include "stmc/stats.h"

struct _stm_atomic_frame;

/* A growable array of granule indexes (offset >> STMC_GRANULE_SHIFT): a segment has 2^29
 * granules, so an index fits in 31 bits with one to spare (WS_FRESH).  Half the size of
 * offsets: trees2's write set, allocation and free lists were 8 MiB a thread at 2 threads. */
struct u32vec {
    uint32_t *v;
    size_t n, cap;
};
_Static_assert((STMC_SEG_SIZE >> STMC_GRANULE_SHIFT) <= (1ULL << 31), "granule index: 31 bits");

/* The header page of a segment, at offset STMC_HDR_OFF.  Offsets are fixed by layout.h. */
struct _stm_seg_hdr {
    uint8_t rv;      /* STMC_HDR_RV: read version; 0 = no transaction may read */
    uint8_t wv;      /* STMC_HDR_WV: write version; 0xFF = no transaction may write */
    uint8_t yield;   /* STMC_HDR_YIELD: non-zero asks for _stm_safepoint_slow */
    uint8_t pad[5];
    uint64_t base;   /* STMC_HDR_BASE: flat address of the segment */
    struct u32vec wset; /* STMC_HDR_WS_N is wset.n: (owner) granules written (| WS_FRESH);
                         * struct seg's wset points here.  The write fast path appends to it
                         * inline */
    uint64_t ws_lim; /* STMC_HDR_WS_LIM: (owner) inline appends while wset.n < ws_lim
                      * (set by ws_inline_open in internal.h, 0 again by hdr_tx_ended) */
    uint64_t writes_inline; /* STMC_HDR_WRITES_INLINE: (owner; the inline path) granules the
                             * write fast path recorded itself (counter writes_inline) */
    uint64_t ws_voff; /* STMC_HDR_WS_VOFF: (owner) wset.v less the segment's base */
    int32_t index;   /* STMC_HDR_INDEX: segment number, -1 in the dummy (for debuggers) */
};
_Static_assert(offsetof(struct _stm_seg_hdr, rv) == STMC_HDR_RV - STMC_HDR_OFF, "rv");
_Static_assert(offsetof(struct _stm_seg_hdr, wv) == STMC_HDR_WV - STMC_HDR_OFF, "wv");
_Static_assert(offsetof(struct _stm_seg_hdr, index) == STMC_HDR_INDEX - STMC_HDR_OFF, "index");
_Static_assert(offsetof(struct _stm_seg_hdr, yield) == STMC_HDR_YIELD - STMC_HDR_OFF, "yield");
_Static_assert(offsetof(struct _stm_seg_hdr, base) == STMC_HDR_BASE - STMC_HDR_OFF, "base");
_Static_assert(offsetof(struct _stm_seg_hdr, wset.n) == STMC_HDR_WS_N - STMC_HDR_OFF &&
                   offsetof(struct _stm_seg_hdr, ws_voff) == STMC_HDR_WS_VOFF - STMC_HDR_OFF &&
                   sizeof(size_t) == 8 &&
                   offsetof(struct _stm_seg_hdr, ws_lim) == STMC_HDR_WS_LIM - STMC_HDR_OFF &&
                   offsetof(struct _stm_seg_hdr, writes_inline) ==
                       STMC_HDR_WRITES_INLINE - STMC_HDR_OFF,
               "the write set's header fields");
/* The private-page bytes lie in the write markers of offsets below the heap (never stored
 * to), after the read markers' region. */
_Static_assert(STMC_PRIV_OFF >= STMC_RMARK_OFF + (STMC_HEAP_END >> STMC_GRANULE_SHIFT) +
                                    STMC_PAGE_SIZE &&
                   STMC_PRIV_OFF >= STMC_WMARK_OFF &&
                   STMC_PRIV_OFF + STMC_PRIV_PAGES + STMC_PAGE_SIZE <=
                       STMC_WMARK_OFF + (STMC_HEAP_START >> STMC_GRANULE_SHIFT),
               "STMC_PRIV_OFF: the private-page bytes overlap the markers");
/* A granule's read and write markers must differ in address bits 12-27 (stmc/layout.h, on
 * STMC_WMARK_OFF): else the two lines share a way-prediction tag of AMD's L1 data cache. */
_Static_assert((((STMC_WMARK_OFF - STMC_RMARK_OFF) >> 12) & 0xFFFF) != 0,
               "STMC_WMARK_OFF: the markers' addresses must differ in bits 12-27");
/* The marker regions as seg_setup maps them (a granule's byte, for the largest heap, and a
 * page more) lie apart and below the heap: at 512 MiB the write markers' mapping ended a page
 * into the heap and replaced its first page in every segment (test heap_max_first_page.c). */
_Static_assert(STMC_RMARK_OFF + (STMC_HEAP_END >> STMC_GRANULE_SHIFT) + STMC_PAGE_SIZE <=
                       STMC_WMARK_OFF + (STMC_HEAP_START >> STMC_GRANULE_SHIFT) &&
                   STMC_WMARK_OFF + (STMC_HEAP_END >> STMC_GRANULE_SHIFT) + STMC_PAGE_SIZE <=
                       STMC_HEAP_START,
               "the marker regions overlap each other or the heap");

/* The transaction in the header's segment has ended: the barriers take their slow paths (RV,
 * WV) and the write fast path appends nothing (WS_LIM; ws_inline_open in internal.h). */
static inline void hdr_tx_ended(struct _stm_seg_hdr *h)
{
    h->rv = STMC_VERSION_INACTIVE_R;
    h->wv = STMC_VERSION_INACTIVE_W;
    h->ws_lim = 0;
}

/* A growable array of 64-bit values. */
struct u64vec {
    uint64_t *v;
    size_t n, cap;
};

struct callback {
    void (*fn)(void *);
    void *arg;
};
struct cbvec {
    struct callback *v;
    size_t n, cap;
};

/* Write-set entries are granule indexes (offset >> 4); this bit marks a granule allocated by
 * the same transaction ("fresh": no other segment can reference it). */
#define WS_FRESH (1U << 31)

#define NCLASSES 129 /* size classes 1..128: 16..2048 bytes */
#define WARM_WORDS ((NCLASSES + 63) / 64) /* a bit per class */

struct stats {
#define STMC_X(name, desc) uint64_t name;
    STMC_STATS(STMC_X)
#undef STMC_X
};

struct log_entry;
struct hint;

/* STMC_LINE starts a cache line: data that other threads read on every transaction or commit
 * gets lines of its own, apart from data that is written often (an owner's write to its
 * transaction state must not pull a line that committers keep reading; a commit's write of
 * g_gen must not pull the line of the flags that every barrier slow path reads).  128, not
 * 64: the adjacent-line prefetcher fetches lines in pairs. */
#define STMC_LINE _Alignas(128)

/* The descriptor of one transaction segment.  Fields marked (owner) are touched only by the
 * thread that holds the segment; (lock) only under g_lock; (owner, lock) written by the owner
 * under g_lock, read by anyone under g_lock.  Three groups of lines: constants that everyone
 * reads; the state that committers read in every segment (running, start_seq, last_seen); the
 * owner's own transaction state. */
struct seg {
    /* Set once at start-up, read by every thread. */
    STMC_LINE int idx;
    char *base;                  /* flat address of offset 0 */
    struct _stm_seg_hdr *hdr;
    uint8_t *priv;               /* 1 byte per heap page: 1 = private copy in this segment
                                  * (at base + STMC_PRIV_OFF: the write fast path reads it) */

    /* Read by committers in every segment (publish_locked, log_trim, alloc_reclaim_locked);
     * the owner writes them about once per transaction. */
    STMC_LINE int snap;          /* (owner, lock) the segment holds a snapshot: committers
                                  * privatise pages here before they change them in segment 0,
                                  * and start_seq/last_seen are live.  Set before a transaction
                                  * starts; kept between transactions (tx_quiesce clears it) */
    int reset_pending;           /* (lock) drop private pages at next start (lagged too far) */
    int owned;                   /* (lock) ownership */
    uint64_t released_ns;        /* (lock) when its thread last gave it back after it had run
                                  * a transaction (mono_ns): a log trim resets an unheld
                                  * segment only STM_UNHELD_RESET_US after that (log_trim) */
    uint64_t released_mark;      /* (lock) its version and log position then (seg_release) */
    pthread_t owner;
    uintptr_t parked;            /* (atomic) its owner waits in a call that waits for other
                                  * threads and may lose it: the owner's t_ts address, 0 if not
                                  * parked (seg_park) */

    /* Written by the owner at starts that import; read by reclaim scans and log trims. */
    STMC_LINE uint64_t start_seq; /* (owner, lock) log tail seq when the transaction started */
    struct log_entry *last_seen; /* (owner, lock) last log entry imported (set_last_seen) */
    uint64_t last_seen_seq;      /* (owner, lock) its seq: a start that imported nothing new
                                  * needs no look at the entry, which the next commit writes */

    /* Written by committers that privatise pages here (atomic), and by the owner. */
    STMC_LINE uint64_t priv_count; /* pages with priv = 1 (atomic) */

    /* The owner's transaction state. */
    STMC_LINE int running;       /* (owner) a transaction runs */
    int inevitable;              /* (owner, lock) holds the inevitable token */
    int implicit;                /* (owner) the running transaction is implicit */
    int unmarked;                /* (owner) the running transaction reads without markers
                                  * (RV = STMC_VERSION_UNMARKED): read-only so far */
    struct hint *hint;           /* (owner) the running atomic block's entry in t_hints (tx.c) */
    int atomic_depth;            /* (owner) nesting of atomic blocks */
    uint8_t version;             /* (owner) RV = WV of the running transaction, 2..254 */
    struct u32vec *wset;         /* (owner) granules written (| WS_FRESH): &hdr->wset */
    struct u32vec allocs;        /* (owner) granules where the transaction's allocations
                                  * start */
    int allocs_published;        /* (owner) its commit has made them OBJ_ALLOCATED already */
    struct u32vec frees;         /* (owner) first granules of what the transaction freed */
    struct u32vec reclaimed;     /* (owner) first granules of deferred frees that its last
                                  * commit took off the queue, handed back after the lock */
    int fresh_freed;             /* (owner) the transaction freed some of its own allocations:
                                  * write-set entries whose write marker is no longer the
                                  * version are dead (not published, not logged) */
    struct u32vec cpages;        /* (owner) the pages a general commit will change in segment 0
                                  * (not those of only its own allocations): log_prepare lists
                                  * them before the lock, privatise_others (tx.c) walks them;
                                  * kept, as large as the largest list yet */
    uint64_t cpages_fresh;       /* (owner) granules of its own allocations left out */
    int cpages_listed;           /* (owner) log_prepare listed them for the commit in flight */
    struct cbvec on_commit, on_abort;
    int in_abort_cb;             /* (owner) stm_on_abort callbacks run: between two attempts
                                  * of the block, outside any transaction (tx_abort) */
    _stm_jmp_buf *jb;            /* (owner) where an abort jumps */
    struct _stm_atomic_frame *frame; /* (owner) outermost STM_ATOMIC frame, or NULL */
    unsigned aborts_in_row;      /* (owner) */
    uint64_t retry_ns;           /* (owner) when the STM_ATOMIC block's latest retry started
                                  * (mono_ns): STM_LONG_ATTEMPT_US, tx_abort (read only in a
                                  * block after its second abort in a row, so after a retry's
                                  * start set it) */
    /* The running atomic block, for STM_CONFLICTS (conflicts.c): its site (SITE_FN in
     * internal.h); 0 outside blocks.  Set as the outermost block enters; log_entry.site copies
     * it at commits. */
    uintptr_t block_site;        /* (owner) */
    uint64_t cf_g;               /* (owner) the first granule a validation found conflicting */
    uintptr_t cf_by;             /* (owner) the block_site of the entry that wrote it */
    uint64_t cf_t0;              /* (owner) with STM_CONFLICTS: when the attempt started (TSC) */
    unsigned reshare_shift;      /* (owner) this segment reshares past STM_RESHARE_PAGES << it
                                  * private pages (tx.c, reshare_grow) */
    uint64_t commits_at_reshare; /* (owner) SEG_TX_ENDED at its last reshare */
    uint64_t implicit_again;     /* (owner) granules an implicit transaction's write set got
                                  * from _stm_write_again (not counted towards its size limit) */
    uint64_t inject_rng;         /* (owner) STM_INJECT_ABORTS: xorshift state, 0 = unseeded */
    uint64_t backoff_rng;        /* (owner) the waits before retries: xorshift, 0 = unseeded */
    int wmarks_dirty;            /* (owner) a transaction ended without clearing its write
                                  * markers (STM_NO_WMARK_CLEAR=1): the next wrap clears them */
    int rmarks_stale;            /* (owner) a wrap left read markers of earlier versions */
    struct log_own {             /* (owner, lock to push) the entries this segment made, in
                                  * the log or dead, oldest first: log.c recycles them */
        struct log_entry **v;    /* a ring of cap (a power of 2) */
        uint32_t head, n, cap;
    } log_own;
    uint64_t log_dead_below;     /* (owner) g_cs.head_seq at this segment's last commit */
    struct log_entry *log_spare; /* (owner) an entry prepared for a commit that aborted */
    struct log_entry *log_mapped; /* (owner) dead mapped entries kept for reuse (log.c) */
    uint64_t log_mapped_bytes;   /* (owner) their size */

    /* allocator (owner) */
    struct u32vec freelist[NCLASSES]; /* first granules of free objects, per class */
    uint64_t bump[NCLASSES], bump_end[NCLASSES];
    /* The holding thread's warm-up takes in its running transaction (alloc.c, warm_up): the
     * classes of which it takes new memory for the first time (a bit each), which transaction
     * that is (warm_tx: SEG_TX_ENDED + 1) and whose (warm_thread: its t_warm_done), folded
     * into that thread's record when it takes new memory in a later transaction here or lets
     * the segment go (alloc_warm_fold). */
    uint64_t warm_now[WARM_WORDS]; /* (owner) */
    uint64_t warm_tx;            /* (owner) */
    const void *warm_thread;     /* (owner) */

    struct stats st;             /* (owner) counters */
    uint64_t short_granules;     /* (owner) granules of the logged short commits (tx.c,
                                  * commit_short, which counts st.commits_short only for those):
                                  * stats_sum counts them as published granules, runs and
                                  * write-marker clears, and those commits as commits and log
                                  * entries (one counter and one sum on that path, not five) */
    uint64_t unlogged_granules;  /* (owner) the same for the unlogged ones (st.commits_unlogged):
                                  * published and cleared, no run; commits, no entry */
};
/* The groups above start lines of their own (a test of the layout: the build fails without). */
_Static_assert(offsetof(struct seg, snap) % 128 == 0 &&
                   offsetof(struct seg, priv_count) % 128 == 0 &&
                   offsetof(struct seg, running) % 128 == 0 && _Alignof(struct seg) == 128,
               "struct seg: the cross-thread fields must have cache lines of their own");

#endif /* STMC_RT_SEGMENT_H */
