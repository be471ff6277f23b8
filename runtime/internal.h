/* runtime/internal.h - what the subsystems of libstmc share.  Never installed.
 *
 *   segment.c  layout, mappings, %gs, privatisation (COW), segment ownership
 *   tx.c       start / commit / abort / validate, inevitable, implicit transactions, frames
 *   barrier.c  the slow paths and memory-intrinsic entry points of stmc/abi.def
 *   alloc.c    size classes, page allocator, deferred frees
 *   log.c      the commit log
 *   setup.c    flags (STM_* env), constructor, stats, SIGSEGV diagnostics
 *   thread.c   pthread_create/pthread_join interposition, attach/detach
 *   immutable.c  _stm_write_immutable and STM_DEBUG's check of STM_IMMUTABLE writes
 *   conflicts.c  STM_CONFLICTS=N: the pairs of atomic blocks that lose time to conflicts
 * (nostm.c, libstmc_nostm for stmcc --no-stm, is the runtime's other library: it includes
 * only stmc.h.)
 */
#ifndef STMC_RT_INTERNAL_H
#define STMC_RT_INTERNAL_H

#define _GNU_SOURCE
#define STMC_BUILDING_RUNTIME 1

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

#pragma GCC visibility push(default)
#include "stmc.h"
#include "stmc/abi.h"
#pragma GCC visibility pop

/* Everything declared from here on is hidden, so that the runtime's own globals are
 * addressed directly (%rip-relative), not through the GOT; EXPORT overrides it. */
#pragma GCC visibility push(hidden)

#include "segment.h"

#define EXPORT __attribute__((visibility("default")))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
/* For the short commit's steps (tx.c, commit_short): clang left them out of line, each call
 * saving and restoring registers in a frame of its own (15-20 instructions a call). */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The layout reserves 7 GiB of heap per segment; only STM_HEAP_MB of it is mapped (smaller
 * mappings are cheaper for the kernel and for valgrind).  Set once at start-up. */
extern uint64_t g_heap_size;
#define HEAP_SIZE g_heap_size
#define HEAP_PAGES (g_heap_size / STMC_PAGE_SIZE)
#define HEAP_LIMIT (STMC_HEAP_START + g_heap_size)
#define MAX_SEGMENTS 64

/* ---- flags (setup.c): STMC_FLAGS(X) calls X(NAME, default, min, max, description) --------- */
#define STMC_FLAGS(X)                                                                          \
    X(SEGMENTS, 0, 0, 64, "transaction segments (threads running transactions at once); "      \
      "0: two per CPU this process may run on, at least 16")                                  \
    X(HEAP_MB, 2048, 16, 7168, "heap size limit in MiB")                                       \
    X(GDB_VIEW, 2, 0, 2, "a debugger's flat view of the committed heap (segment 0's heap "    \
      "mapped PROT_NONE at the heap pointers' own values, where that range is free): 0 never, "  \
      "1 always, 2 when gdb or lldb started the program")                              \
    X(MAX_ABORTS, 10, 0, 1000000000, "aborts in a row before an atomic block runs inevitable")  \
    X(LONG_ATTEMPT_US, 1000, 0, 1000000000, "an atomic block whose retry ran this many "          \
      "microseconds and aborted for a conflict runs inevitable next (0: only after "            \
      "STM_MAX_ABORTS aborts)")                                                                 \
    X(RESHARE_PAGES, 4096, 0, 1000000000, "private pages that make a segment drop them all")    \
    X(IMPLICIT_SLICE_US, 20, 0, 1000000, "microseconds a waiting implicit start lets the token's " \
      "holder run before it asks for the token (0: it asks at once)")                         \
    X(NO_IMPLICIT_FAST, 0, 0, 1, "1: implicit transactions take the general paths of the write " \
      "barrier and of the commit (else the inline append, the slow path's one-granule case "  \
      "and the short commit, as atomic blocks do)")                                          \
    X(NO_RESHARE_GROWTH, 0, 0, 1, "1: a segment's reshare threshold stays STM_RESHARE_PAGES "     \
      "(else it doubles, up to 64 times, for a segment that copied that many pages again "       \
      "within 4 transactions a page)")                                                          \
    X(IMPLICIT_MAX_GRANULES, 65536, 1, 1000000000,                                             \
      "write-set size (granules) that asks an implicit transaction to end")                    \
    X(LOG_MAX, 4096, 16, 100000000, "commit-log length that resets lagging idle segments")     \
    X(NO_FRESH_SKIP, 0, 0, 1, "1: privatise pages for fresh allocations too")                  \
    X(NO_TEMP_COMMIT, 0, 0, 1, "1: a transaction whose writes all went to objects it "        \
      "allocated and freed again commits as any writing one (else it commits as a read-only "   \
      "one: no lock, no log entry)")                                                           \
    X(NO_COMMIT_PAGES, 0, 0, 1, "1: a commit finds the pages to privatise in other segments "   \
      "by a walk of its whole write set under the lock (else a commit of more than 64 "        \
      "granules, or one that freed what it allocated, lists them before the lock when "        \
      "another segment holds a snapshot, without its own allocations)")                        \
    X(NO_REALLOC_SLACK, 0, 0, 1, "1: stm_realloc of a large object gives it exactly the pages " \
      "the new size needs (else it grows by half its size at least, and keeps its place while " \
      "the new size fits and is more than half of it)")                                      \
    X(NO_FREE_MARK, 0, 0, 1, "1: stm_free scans the transaction's free list for double frees") \
    X(NO_FRESH_FREE, 0, 0, 1, "1: objects freed by the transaction that allocated them wait for " \
      "its commit (published, deferred reuse) like any other")                                 \
    X(NO_WMARK_CLEAR, 0, 0, 1,                                                                 \
      "1: clear write markers at version wraps, not at transaction end")                      \
    X(NO_LAZY_RMARK, 0, 0, 1, "1: clear read markers at every version wrap")                 \
    X(NO_FREE_POOL, 0, 0, 1, "1: freed small objects stay on the free list of the segment "   \
      "that reclaimed them (else, when another segment had to take new memory for the class, "  \
      "a list past 128 KiB gives all but 64 KiB to a pool that empty lists take from)")         \
    X(NO_ROOM_SWEEP, 0, 0, 1, "1: an allocation that finds the heap full only takes back the "  \
      "frees that no snapshot sees (else it then gathers every segment's free small objects "  \
      "and gives chunks whose objects are all free back to the page allocator, for up to 1 s)") \
    X(NO_WARMUP_TAKES, 0, 0, 1, "1: a thread asks the other segments' lists for memory of "    \
      "a class (the pool's want) from the first transaction in which it takes new memory of "  \
      "that class (else from its second such transaction on)")                                  \
    X(NO_RUNS, 0, 0, 1, "1: one granule at a time: a range enters the write set granule by "  \
      "granule, and a commit-log entry lists each granule as a run of its own (a 16-byte copy " \
      "each), not runs of consecutive granules")                                              \
    X(NO_WAIT_RELEASE, 0, 0, 1, "1: a call that waits for other threads (an OpenMP barrier, "  \
      "critical section or lock) gives the segment back only when a thread waits for one and " \
      "it was held 1 ms, as any external call (else always, as pthread_barrier_wait)")       \
    X(NO_DESC_RUNS, 0, 0, 1, "1: a commit-log entry takes only granules that ascend in the "  \
      "write set for a run (else also a range written from its end, as a loop that runs "      \
      "down an array enters it)")                                                             \
    X(NO_IMPORT_PREFETCH, 0, 0, 1, "1: an import reads a commit-log entry's values only once " \
      "its header has come in (else it asks for their lines when it learns the entry's "        \
      "address)")                                                                              \
    X(NO_LOG_RECYCLE, 0, 0, 1,                                                                 \
      "1: malloc/free (map/unmap, from 256 KiB) each commit-log entry and trim the log at "     \
      "every commit")                                                                          \
    X(NO_CREATE_PARK, 0, 0, 1, "1: a thread that starts another keeps its segment (else, "      \
      "while only the first segment has been held, it parks it for the new thread, which takes " \
      "it at its first heap access: the unlogged short commits go on)")                        \
    X(UNHELD_RESET_US, 1000, 0, 1000000000, "a log trim resets a segment that no thread "     \
      "holds (it drops its private pages) only this many microseconds after its thread gave "   \
      "it back; until then it keeps the log (0: at every trim)")                                \
    X(NO_LOG_BIG, 0, 0, 1, "1: a commit-log entry of more than 8192 granules (~200 KiB) "     \
      "waits for the next lazy trim (every 32 entries) to become dead, and is then unmapped, "  \
      "not reused by the next commit of at least half its size (else the log is trimmed at "   \
      "its commit)")                                                                           \
    X(NO_GEN_LOCK, 0, 0, 1,                                                                    \
      "1: a separate commit lock word; commits make the seqlock odd with a second fence")     \
    X(NO_WAIT_VALIDATE, 0, 0, 1, "1: a commit that finds the commit lock held only spins for " \
      "it (else it imports and checks the log entries linked meanwhile while it waits)")     \
    X(NO_START_WAIT, 0, 0, 1, "1: a start that meets a locked section in flight takes the "     \
      "lock itself (instead of waiting for the section to end)")                              \
    X(NO_LAZY_RECLAIM, 0, 0, 1, "1: every commit with a deferred free newer than the last "     \
      "bound scans the segments' snapshots (else every 8th)")                                 \
    X(NO_READ_FAST, 0, 0, 1, "1: a range read barrier's call (_stm_read_slow from a loop's "    \
      "preheader) always takes the general path (else a range of at most 32 granules in a "     \
      "running marked transaction has its markers stored at once)")                             \
    X(NO_WRITE_FAST, 0, 0, 1, "1: the write barrier's slow path always takes its general "     \
      "path (else a transaction's first store to one granule takes a short one; implicit "   \
      "ones too unless STM_NO_IMPLICIT_FAST=1)")                                               \
    X(NO_WRITE_INLINE, 0, 0, 1, "1: the write fast path calls the runtime for every first "  \
      "store to a granule (else, in a marked atomic transaction or, unless "                  \
      "STM_NO_IMPLICIT_FAST=1, an implicit one, it records a granule of a private page in the " \
      "write set itself)")                                                                     \
    X(NO_ALLOC_FAST, 0, 0, 1, "1: stm_alloc and stm_free always take their general paths "    \
      "(else a small object in an atomic block takes a short one when the segment's free "      \
      "list has one, or has room for it)")                                                     \
    X(NO_FRESH_POP, 0, 0, 1, "1: an object freed by the transaction that allocated it keeps "  \
      "its write-set and allocation entries (dead) until the commit (else, when it is the "      \
      "latest allocation and its granules the write set's last entries, they are dropped)")    \
    X(NO_FRESH_RMARK_SKIP, 0, 0, 1, "1: stm_alloc sets the read markers of a new object's "    \
      "granules, as for any written granule (else it leaves them: no other segment can commit " \
      "a write to memory the transaction allocated)")                                          \
    X(NO_FRESH_COMPACT, 0, 0, 1, "1: the write set and allocation list of a transaction that " \
      "freed objects it allocated grow with the dead entries (else those are dropped before "  \
      "either grows)")                                                                         \
    X(NO_UNLOCKED_REUSE, 0, 0, 1, "1: deferred frees that became safe are handed back to the " \
      "allocator inside the commit's locked section (else they are taken off the queue there " \
      "and handed back after it)")                                                            \
    X(NO_COMMIT_SHORT, 0, 0, 1, "1: every commit takes the general path (else an atomic block " \
      "that wrote 1-16 granules and did nothing else special takes a short one)")               \
    X(NO_UNLOGGED, 0, 0, 1, "1: a short commit always appends a commit-log entry (else, while "  \
      "no segment but the first has ever been held, none: no other segment can read one)")    \
    X(NO_PREVALIDATE, 0, 0, 1, "1: a commit validates every entry since its last validation "   \
      "point under the lock (else only those linked after its pre-validation)")               \
    X(NO_STICKY_SNAPSHOT, 0, 0, 1, "1: a segment stops holding its snapshot at every "           \
      "transaction's end (each start announces itself again)")                                \
    X(NO_UNMARKED, 0, 0, 1, "1: atomic blocks always mark their reads (no unmarked read-only "  \
      "attempts)")                                                                             \
    X(NO_ABORT_BACKOFF, 0, 0, 1, "1: an atomic block aborted by a conflict runs again at once "  \
      "(else it first waits a random number of pauses, in a window that doubles with each "   \
      "abort in a row)")                                                                       \
    X(NO_REMOTE_QUIESCE, 0, 0, 1, "1: a committer never lets another segment's idle snapshot go " \
      "(else, when deferred frees stay pinned by segments idle between transactions, it does, " \
      "with membarrier)")                                                                      \
    X(INJECT_ABORTS, 0, 0, 1000000000, "N > 0: abort about one in N atomic blocks at its end " \
      "and run it again (a test of the program's retry safety; inevitable blocks excepted)")   \
    X(DEBUG, 0, 0, 1, "1: check writes to STM_IMMUTABLE fields (abort unless the object "    \
      "was allocated by the running transaction)")                                            \
    X(STATS, 0, 0, 1, "1: print statistics at exit")                                         \
    X(CONFLICTS, 0, 0, 1000, "N > 0: at exit, print the N pairs of atomic blocks (the aborted " \
      "one, the one whose commit it conflicted with) that lost the most time to conflicts")

struct flags {
#define STMC_X(name, def, lo, hi, desc) long name;
    STMC_FLAGS(STMC_X)
#undef STMC_X
};
extern struct flags g_flags;
/* tx.c's short commit may run (setup.c, flags_derived: STM_NO_COMMIT_SHORT and the flags of
 * the general path's steps that it leaves out are 0, and g_gen_lock). */
extern bool g_commit_short;
/* Transaction starts let the write fast path append to the write set (ws_inline_open;
 * setup.c, flags_derived: STM_NO_WRITE_INLINE and STM_NO_WRITE_FAST are 0). */
extern bool g_write_inline;
/* Short commits may skip the log while only segment 1 has ever been held (setup.c,
 * flags_derived: STM_NO_UNLOGGED is 0; tx.c, commit_short). */
extern bool g_unlogged;
/* s runs a transaction: when it is marked, the write fast path may append to its write set,
 * up to the array's capacity (stmc/layout.h, STMC_HDR_WS_LIM), and in an implicit one (unless
 * STM_NO_IMPLICIT_FAST=1) up to its size limit.  At its start and after the array grows;
 * hdr_tx_ended closes it again. */
static inline void ws_inline_open(struct seg *s)
{
    if (!g_write_inline || s->unmarked)
        return;
    if (!s->implicit) {
        s->hdr->ws_lim = s->wset->cap;
    } else if (!g_flags.NO_IMPLICIT_FAST) {
        /* An implicit transaction's appends stop at its size limit (implicit_size_check):
         * the store after it goes to the slow path, which asks for the transaction's end. */
        uint64_t lim = s->implicit_again + (uint64_t)g_flags.IMPLICIT_MAX_GRANULES;
        s->hdr->ws_lim = lim < s->wset->cap ? lim : s->wset->cap;
    }
}

/* ---- global state --------------------------------------------------------------------------- */
extern char *g_resv;             /* the whole reservation: segments 0..N, then the dummy */
extern size_t g_resv_size;
extern int g_nseg;               /* N: transaction segments are 1..N */
extern int g_seg_hi;             /* (lock) the highest segment index ever held: segments above
                                  * it have never run, so per-commit loops stop here */
extern struct seg g_seg[MAX_SEGMENTS + 1]; /* [0] is segment 0 (committed state, no tx) */
/* Another segment than s holds a snapshot (snap).  A committer's look under the lock (tx.c,
 * privatise_for_commit), where the seq_cst loads pair with the starts' announcements, and
 * log_prepare's before it, which may be out of date by the time the commit has the lock. */
static inline bool other_snapshot(const struct seg *s)
{
    int hi = __atomic_load_n(&g_seg_hi, __ATOMIC_RELAXED); /* a local: the seq_cst loads would
                                                            * load it at every step */
    for (int i = 1; i <= hi; i++)
        if (&g_seg[i] != s && __atomic_load_n(&g_seg[i].snap, __ATOMIC_SEQ_CST))
            return true;
    return false;
}
/* Only segment 1 has ever been held (its short commits are unlogged: tx.c, commit_short), and
 * a thread that starts another parks its segment for the new one to take (STM_NO_CREATE_PARK:
 * park_for_new_thread in thread.c, seg_acquire). */
static inline bool create_park_due(void)
{
    return g_unlogged && !g_flags.NO_CREATE_PARK && __atomic_load_n(&g_seg_hi, __ATOMIC_RELAXED) == 1;
}
extern char *g_dummy;            /* base of the dummy segment */
extern int g_memfd;
extern bool g_ready;
/* The start-up (setup.c), for a thread that needs a segment before the runtime's constructor
 * ran: a constructor of the program's that runs first (the same priority, 101, or a lower
 * one), or one of a shared library built with stmcc, which runs before the program's. */
void stmc_init_early(void);

/* The global lock (a spinlock, setup.c): commit, start, validation, abort's restore, inevitable token, segment
 * ownership, the log, deferred frees. */
void lock_slow(void);            /* lock() when the lock is held, or STM_NO_GEN_LOCK */
void unlock_spin(void);          /* unlock() with STM_NO_GEN_LOCK */
void wait_locked(unsigned *round); /* under g_lock: let others run, then lock again */
#define g_gen g_cs.gen          /* commit seqlock: odd while a commit writes segment 0/the log */
extern bool g_gen_lock;          /* g_gen is the lock word: odd while g_lock is held (setup.c) */
extern struct seg *g_inevitable; /* (lock) the segment holding the inevitable token */
extern int g_commit_waiters;     /* (lock) committers waiting for the token's release */
extern int g_token_waiters;      /* (lock) implicit starts waiting for the token's release */
extern int g_seg_waiters;        /* (lock) threads waiting for a free segment */
extern pid_t g_pid;              /* this process's id (set at start-up and in a fork child) */

/* ---- thread-local --------------------------------------------------------------------------- */
struct thread_state {
    struct seg *seg;    /* segment held, or NULL (then %gs is the dummy) */
    struct seg *last;   /* last one held, preferred when acquiring again */
    struct seg *parked; /* parked by this thread (seg_park); seg is NULL meanwhile */
    uint64_t seg_since; /* when it took seg (mono_ns): seg_release_due */
    int attached;
    int in_signal;      /* the program's signal handlers running on this thread (thread.c) */
    struct sig_frame {  /* their trampolines' frames, outermost first (the first 8) */
        char *frame;
        char *alt_lo, *alt_hi; /* the alternate signal stack it runs on, or NULL */
    } sig_frames[8];
};
/* initial-exec: one %fs-relative load instead of a __tls_get_addr call (libstmc.so) or a
 * three-instruction address computation (libstmc.a); libstmc is loaded at start-up. */
#define STMC_TLS __thread __attribute__((tls_model("initial-exec")))
extern STMC_TLS struct thread_state t_ts;

/* Inside a handler of the program's (thread.c): the runtime must leave the interrupted code's
 * transaction alone (it may be a commit holding the lock, or between a barrier and its store). */
static inline bool in_signal_handler(void)
{
    return t_ts.in_signal > 0;
}

/* ---- helpers -------------------------------------------------------------------------------- */
/* The runtime's own memory comes from glibc's allocator under its internal names, never from
 * a malloc that the program defines: that one may be compiled by stmc, and its atomics call
 * _stm_sync, which ended the implicit transaction inside the commit that called malloc (a
 * recursion into tx_commit: SIGSEGV).  Freed with rt_free only. */
__attribute__((visibility("default"))) void *__libc_malloc(size_t n);
__attribute__((visibility("default"))) void *__libc_calloc(size_t n, size_t size);
__attribute__((visibility("default"))) void *__libc_realloc(void *p, size_t n);
__attribute__((visibility("default"))) void __libc_free(void *p);
#define rt_malloc __libc_malloc
#define rt_calloc __libc_calloc
#define rt_realloc __libc_realloc
#define rt_free __libc_free
_Noreturn void stmc_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* stmc_fatal, naming the caller of an API function (ra: __builtin_return_address(0) there). */
_Noreturn void stmc_fatal_at(const void *ra, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
struct sigaction;
int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *old); /* libc's */
bool segv_view(const struct sigaction *act, struct sigaction *old); /* setup.c */
void stmc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int stmc_code_where(const void *pc, char *buf, size_t room);
void vec_grow(struct u64vec *v);
static inline void vec_push(struct u64vec *v, uint64_t x)
{
    if (UNLIKELY(v->n == v->cap))
        vec_grow(v);
    v->v[v->n++] = x;
}
void vec32_grow(struct u32vec *v);
static inline void vec32_push(struct u32vec *v, uint32_t x)
{
    if (UNLIKELY(v->n == v->cap))
        vec32_grow(v);
    v->v[v->n++] = x;
}
void cb_push(struct cbvec *v, void (*fn)(void *), void *arg);
#define STAT(s, name) ((s)->st.name++)
/* Transactions s has ended (committed by either path, or aborted): a transaction's identity
 * for caches that last one transaction. */
#define SEG_TX_ENDED(s)                                                                        \
    ((s)->st.commits + (s)->st.commits_short + (s)->st.commits_unlogged + (s)->st.aborts)
/* CLOCK_MONOTONIC in nanoseconds (the vDSO: no system call). */
static inline uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A thread gives its segment back to threads that wait for one at a safe point or an atomic
 * block's end only once it has held it SEG_HOLD_NS: waiters take free segments in turn
 * (seg_acquire), and a holder that gave it back at each safe point while others waited took a
 * new turn at each (four threads on two segments crawled: examples/lisp.c's test). */
#define SEG_HOLD_NS 1000000
static inline bool seg_release_due(void)
{
    return __atomic_load_n(&g_seg_waiters, __ATOMIC_RELAXED) > 0 &&
           mono_ns() - t_ts.seg_since >= SEG_HOLD_NS;
}

/* One step of a spin-wait: pause, and yield the CPU every 256 steps (n: the caller's count). */
static inline void spin_backoff(unsigned *n)
{
    if (++*n < 256) {
        __builtin_ia32_pause();
    } else {
        sched_yield();
        *n = 0;
    }
}

static inline uint64_t page_of(uint64_t off) { return (off - STMC_HEAP_START) >> 12; }
/* A granule index (u32vec entries) and the offset where the granule starts. */
static inline uint32_t gran_of(uint64_t off) { return (uint32_t)(off >> STMC_GRANULE_SHIFT); }
static inline uint64_t off_of(uint32_t g) { return (uint64_t)g << STMC_GRANULE_SHIFT; }
static inline uint8_t *rmark(struct seg *s, uint64_t g) { return (uint8_t *)s->base + STMC_RMARK_OFF + g; }
static inline uint8_t *wmark(struct seg *s, uint64_t g) { return (uint8_t *)s->base + STMC_WMARK_OFF + g; }
/* A write-set entry of an object freed by the transaction that allocated it: free_fresh reset
 * its write marker, so it is neither published nor logged.  Only when s->fresh_freed. */
static inline bool ws_dead(struct seg *s, uint64_t g) { return *wmark(s, g) != s->version; }
/* Whether granules entering the write set with this tag get a read marker too.  A written
 * granule is marked read, so that another segment's commit of it is a conflict (the commit
 * would otherwise overwrite the whole granule); a new object's granules are not (WS_FRESH,
 * STM_NO_FRESH_RMARK_SKIP=1 marks them): no other segment can commit a write to memory this
 * transaction allocated (it was free in every snapshot since its last writer's commit), so the
 * stores (2 a node in trees2) would be wasted. */
static inline bool fresh_read_mark(uint32_t tag)
{
    return !(tag & WS_FRESH) || g_flags.NO_FRESH_RMARK_SKIP;
}
/* Granules [g, stop) enter the write set (| tag) where their write marker is not the version
 * yet, marked written (and read: fresh_read_mark), in a loop that keeps everything in locals.
 * The caller made their page private and the write set's room (barrier.c, page_part_prepare;
 * alloc.c, alloc_fast).  zero: also clear the granules' bytes, at their flat address in s, in
 * the same loop (alloc_fast: a separate loop became a memset call, and even unrolled stores
 * after the loop cost trees2 3-4% of its time); NULL otherwise. */
static inline void record_granules(struct seg *s, uint64_t g, uint64_t stop, uint32_t tag,
                                   char *zero)
{
    uint8_t v = s->version, *wm = wmark(s, 0), *rm = rmark(s, 0);
    uint32_t *ws = s->wset->v;
    size_t wn = s->wset->n;
    bool read_mark = fresh_read_mark(tag);
    for (; g < stop; g++) {
        if (wm[g] != v) {
            wm[g] = v;
            if (read_mark)
                rm[g] = v;
            ws[wn++] = (uint32_t)g | tag;
        }
        if (zero) {
            uint64_t z[2] = {0, 0};
            memcpy(zero + (g << STMC_GRANULE_SHIFT), z, STMC_GRANULE);
        }
    }
    s->wset->n = wn;
}

/* segment.c */
void seg_setup(void);
void set_gs(char *base);
void ensure_private(struct seg *s, uint64_t page);   /* owner: before its first write */
void force_private_other(struct seg *s, uint64_t page, struct seg *by); /* committer, lock */
void seg_reshare(struct seg *s);                      /* lock, owner, no tx state */
void seg_dump_grow(uint64_t top);                     /* the heap handed out up to top */
bool wait_first_second(uint64_t *t0, bool *told);     /* a wait's 1 s mark, once (warnings) */
struct seg *seg_acquire(void);                        /* this thread gets a segment */
void seg_claim_locked(struct seg *s);                 /* lock: s gets an owner (raises g_seg_hi) */
void seg_release(void);                               /* hand it back (no tx running) */
void seg_park(void);                                  /* lend it while waiting (no tx running) */
struct seg *seg_unpark(void);                         /* take it back, unless taken: or NULL */
void seg_fork_setup(void);                           /* fork(): the child's heap is its own */
void seg_wrap_markers(struct seg *s);
void seg_clear_markers(struct seg *s, bool reads, bool writes);

/* log.c */
/* A commit's granules and their committed bytes: runs r[0..n) of consecutive granules, then,
 * after room for cap runs, the runs' values in the same order, STMC_GRANULE bytes a granule
 * (entry_values).  A run is copied with one memcpy (an object of 64 KiB: one run, not 4,096
 * granules; STM_NO_RUNS=1 makes every run one granule).  Importers copy from the entry,
 * not from segment 0, so an import is right whatever later commits do to segment 0. */
struct log_run {
    uint32_t g;    /* first granule */
    uint32_t len;  /* granules */
};
struct log_entry {
    struct log_entry *next;
    uint64_t seq;
    uint32_t n;    /* runs */
    uint32_t cap;  /* room for this many granules (and runs; entries are recycled) */
    uintptr_t site; /* the committed transaction's block (seg.block_site), 0 outside blocks */
    struct log_run r[];
};
static inline unsigned char *entry_values(const struct log_entry *e)
{
    return (unsigned char *)(e->r + e->cap);
}
#define GRANULES_PER_PAGE (STMC_PAGE_SIZE >> STMC_GRANULE_SHIFT)
/* The end of the part of granules [g, end) that lies in granule g's page (pages are
 * granule-aligned): end, or the first granule of the next page. */
static inline uint64_t page_part_end(uint64_t g, uint64_t end)
{
    uint64_t next = (g | (GRANULES_PER_PAGE - 1)) + 1;
    return next < end ? next : end;
}
/* One granule, as two 8-byte moves: a commit copies granules that the transaction has just
 * written, usually by 8-byte stores that may still be in the store buffer; a 16-byte load of
 * two such stores cannot be forwarded from them and waits until both reach the cache (on the
 * AMD host, two thirds of log_prepare's samples sat on that load in bank).  The asm keeps the
 * compiler from joining the halves into one vector move. */
static inline void copy_granule(void *dst, const void *src)
{
    uint64_t a, b;
    memcpy(&a, src, 8);
    memcpy(&b, (const char *)src + 8, 8);
    __asm__("" : "+r"(a), "+r"(b));
    memcpy(dst, &a, 8);
    memcpy((char *)dst + 8, &b, 8);
}

/* Copy len granules' bytes; one granule (most runs of short transactions) without a call. */
static inline void copy_granules(void *dst, const void *src, uint64_t len)
{
    if (LIKELY(len == 1))
        copy_granule(dst, src);
    else
        memcpy(dst, src, len << STMC_GRANULE_SHIFT);
}
/* What commits read and write under g_lock (log.c, alloc.c), together: a commit takes this
 * one line from the previous committer, and no thread reads it without the lock.  (These had
 * a line each, and the compiler had split the deferred-free queue's struct over three more.)
 * The newest log entry (tail) is here too: lock-free readers (starts, pre-validation) follow
 * the next pointers from their last_seen entry instead (only a long import reads the tail,
 * once), so a commit's append writes no line that every start reads.  Not static in log.c,
 * so that the compiler cannot split it. */
struct deferred {
    uint64_t off, seq;
};
struct commit_state {
    uint64_t gen;               /* the commit seqlock, and by default the lock word (setup.c):
                                 * the lock's compare-and-swap brings in the whole line */
    struct log_entry *tail;     /* the newest entry */
    uint64_t head_seq;          /* entries older than this are dead (every segment imported
                                 * them); the log's length is tail->seq - head_seq */
    uint64_t trim_seq;          /* the next lazy trim: when the tail's seq reaches this */
    uint64_t rc_bound;          /* deferred frees up to this seq are safe to reuse */
    struct deferred *dq;        /* deferred frees in commit order (seq increasing): */
    uint32_t dq_head, dq_n;     /* dq[dq_head .. dq_head + dq_n) are pending, */
    uint32_t dq_cap;            /* dq has room for dq_cap */
    uint32_t rc_skipped;        /* commits that needed a reclaim scan and skipped it */
};
extern STMC_LINE struct commit_state g_cs;
_Static_assert(sizeof(struct commit_state) <= 64, "commit_state: one line");

/* One try at g_lock through g_gen (only with g_gen_lock): true = taken. */
static inline bool lock_try_gen(void)
{
    uint64_t g = __atomic_load_n(&g_gen, __ATOMIC_RELAXED);
    return !(g & 1) && __atomic_compare_exchange_n(&g_gen, &g, g + 1, false, __ATOMIC_SEQ_CST,
                                                   __ATOMIC_RELAXED);
}

/* Take g_lock (setup.c explains it): inline, the uncontended compare-and-swap of g_gen from
 * even to odd; the spinning and the STM_NO_GEN_LOCK spinlock are out of line.  (A commit
 * takes it with commit_lock in tx.c, which validates while it waits.) */
static inline void lock(void)
{
    if (LIKELY(g_gen_lock && lock_try_gen()))
        return;
    lock_slow();
}

/* unlock() when g_gen is the lock word (g_gen_lock): even again. */
static inline void unlock_gen(void)
{
    __atomic_store_n(&g_gen, __atomic_load_n(&g_gen, __ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE);
}
static inline void unlock(void)
{
    if (LIKELY(g_gen_lock))
        unlock_gen();
    else
        unlock_spin();
}
void log_setup(void);
#define LOG_KEEP_MAX_CAP 64      /* larger entries are freed when dead, not recycled (log.c) */
#define LOG_BIG_CAP 8192         /* larger ones trim the log at their commit; reused (log.c) */
#define LOG_MIN_CAP 8            /* the smallest entry: room for this many granules */
#define LOG_SHORT 64             /* write sets up to this size: a run per granule */
/* The oldest of s's entries, if it is dead (else NULL).  Its line is written next anyway. */
static ALWAYS_INLINE struct log_entry *own_pop_dead(struct seg *s)
{
    struct log_own *o = &s->log_own;
    if (o->n == 0)
        return NULL;
    struct log_entry *e = o->v[o->head];
    if (e->seq >= s->log_dead_below)
        return NULL;
    o->head = (o->head + 1) & (o->cap - 1);
    o->n--;
    return e;
}
struct log_entry *log_entry_new(struct seg *s, size_t n); /* a new entry, room for n granules */
void log_entry_free(struct seg *s, struct log_entry *e); /* (owner) a dead entry of s's */
#define LOG_OWN_KEEP 4096        /* a segment frees its dead entries beyond this many (log.c) */
void log_own_shrink(struct seg *s);
/* An entry with room for n granules for s's commit: the one an aborted commit left, or s's
 * oldest entry if it is dead, or a new one. */
static ALWAYS_INLINE struct log_entry *log_entry_get(struct seg *s, size_t n)
{
    struct log_entry *e = s->log_spare;
    if (e)
        s->log_spare = NULL;
    else
        e = own_pop_dead(s);
    if (UNLIKELY(s->log_own.n > LOG_OWN_KEEP))
        log_own_shrink(s);
    if (e) {
        if (LIKELY(e->cap >= n && e->cap <= LOG_KEEP_MAX_CAP && !g_flags.NO_LOG_RECYCLE)) {
            STAT(s, log_recycled);
            return e;
        }
        if (e->cap > LOG_BIG_CAP && e->cap >= n && e->cap / 2 <= n && !g_flags.NO_LOG_BIG &&
            !g_flags.NO_LOG_RECYCLE) { /* (its pages are in: a new mapping faults them in) */
            STAT(s, log_big_reused);
            return e;
        }
        log_entry_free(s, e);
    }
    return log_entry_new(s, n);
}
/* Fill e (room for n granules) with s's write set of n <= LOG_SHORT granules, none dead, and
 * clear their write markers: the values are final (the transaction writes no more), and so
 * are the markers (tx_finish's job otherwise).  A run per granule, without looking for longer
 * ones: as cheap as a list of granules (bank: 11 instructions a granule).  seg0: also copy each
 * granule there, in the same pass (the short commit, under the lock; else NULL).  e NULL (with
 * seg0): no entry, only the markers and segment 0 (the short commit's unlogged case). */
static ALWAYS_INLINE void log_fill_short(struct seg *s, struct log_entry *e, size_t n,
                                         char *seg0)
{
    const uint32_t *w = s->wset->v;
    struct log_run *er = e ? e->r : NULL;
    unsigned char *val = e ? entry_values(e) : NULL;
    const char *mine = s->base;
    uint8_t *wm = wmark(s, 0); /* a local: the marker stores may alias s */
    for (size_t k = 0; k < n; k++) {
        uint64_t g = w[k] & ~WS_FRESH, off = g << STMC_GRANULE_SHIFT;
        wm[g] = 0;
        uint64_t a, b; /* copy_granule's two moves, stored twice */
        memcpy(&a, mine + off, 8);
        memcpy(&b, mine + off + 8, 8);
        __asm__("" : "+r"(a), "+r"(b)); /* not one 16-byte load: copy_granule says why */
        if (e) {
            er[k] = (struct log_run){(uint32_t)g, 1};
            memcpy(val + (k << STMC_GRANULE_SHIFT), &a, 8);
            memcpy(val + (k << STMC_GRANULE_SHIFT) + 8, &b, 8);
        }
        if (seg0) {
            memcpy(seg0 + off, &a, 8);
            memcpy(seg0 + off + 8, &b, 8);
        }
    }
    if (e) {
        e->next = NULL;
        e->n = (uint32_t)n;
    }
}
struct log_entry *log_prepare(struct seg *s);     /* no lock: the entry for s's write set */
size_t wset_fresh(const uint32_t *w, size_t n);   /* write-set entries w[0..n) with WS_FRESH
                                                   * (vectorised) */
void log_unused(struct seg *s, struct log_entry *e); /* owner: e was prepared, never linked */
void log_trim(struct seg *self); /* lock: moves the head past the entries every segment has
                                   * imported; self: the committer */
static inline bool log_trim_due(void) /* lock: time for a trim */
{
    return g_flags.NO_LOG_RECYCLE || g_cs.tail->seq >= g_cs.trim_seq;
}
/* s has imported e (its owner, or under the lock while s holds no snapshot) */
static inline void set_last_seen(struct seg *s, struct log_entry *e)
{
    __atomic_store_n(&s->last_seen, e, __ATOMIC_RELAXED);
    __atomic_store_n(&s->last_seen_seq, e->seq, __ATOMIC_RELAXED); /* log_trim reads it */
}
/* The ring of s's entries, for recycling (log.c). */
static inline void own_put(struct log_own *o, struct log_entry *e)
{
    o->v[(o->head + o->n++) & (o->cap - 1)] = e;
}
void own_grow_put(struct seg *s, struct log_entry *e) __attribute__((cold));
/* Lock: e becomes the tail entry (inline: one caller, tx.c's link_entry, which counts it). */
static ALWAYS_INLINE void log_append(struct seg *s, struct log_entry *e)
{
    e->seq = g_cs.tail->seq + 1;
    __atomic_store_n(&g_cs.tail->next, e, __ATOMIC_RELEASE);
    __atomic_store_n(&g_cs.tail, e, __ATOMIC_RELEASE); /* long imports read it (log_import) */
    set_last_seen(s, e);
    struct log_own *o = &s->log_own;
    if (UNLIKELY(o->n == o->cap))
        own_grow_put(s, e);
    else
        own_put(o, e);
}
bool log_import(struct seg *s, bool check); /* import after last_seen; true = conflict */
static inline bool validate_locked(struct seg *s, bool check) /* lock: import; true = conflict */
{
    return s->last_seen != g_cs.tail && log_import(s, check);
}
/* Owner, holding its snapshot (or under the lock): entries newer than s->last_seen exist.
 * Reads the line of that entry, which only the next commit writes (its next pointer). */
static inline bool log_has_new(struct seg *s)
{
    return __atomic_load_n(&s->last_seen->next, __ATOMIC_ACQUIRE) != NULL;
}

/* tx.c */
struct seg *cur_seg(void);                   /* the thread's segment, acquired if needed */
void tx_start(struct seg *s, int mode);      /* mode below */
enum { TX_ATOMIC = 0, TX_INEVITABLE = 1, TX_IMPLICIT = 2, TX_UNMARKED = 3 };
void tx_commit(struct seg *s);               /* may abort (longjmp) unless inevitable */
_Noreturn void tx_abort(struct seg *s, int cause);
void tx_become_inevitable(struct seg *s);    /* may abort */
_Noreturn void tx_upgrade(struct seg *s);    /* unmarked transaction about to write: retry marked */
void tx_end_implicit(struct seg *s);         /* commit the implicit transaction, if any */
void tx_quiesce(struct seg *s);              /* owner, no transaction: drop the snapshot */
int tx_quiesce_idle_locked(struct seg *self, uint64_t below); /* (lock) see tx.c */
bool tx_idle_pinner_locked(struct seg *self, uint64_t below);  /* (lock) a candidate now */
extern bool g_have_membarrier; /* setup.c: registered for MEMBARRIER_CMD_PRIVATE_EXPEDITED */
bool membarrier_all(void); /* a full barrier on every CPU running this process; false: failed */
void tx_abandon_block(struct seg *s);       /* exit() in an on_abort callback */
void tx_forget(struct seg *s);               /* fork child: s's thread is gone */
struct seg *tx_ensure_running(void);         /* start an implicit transaction if none runs */
void tx_check_frame(struct seg *s);          /* the atomic block's frame is still live */
/* tx_check_frame's test inline, for the slow paths that must save no registers: s->frame &&
 * sp > s->frame in one comparison (a test transaction has no frame), with the stack pointer
 * read directly (no frame pointer to set up). */
static inline __attribute__((always_inline)) bool frame_gone(const struct seg *s)
{
    uintptr_t sp;
    __asm__("mov %%rsp, %0" : "=r"(sp));
    return (uintptr_t)s->frame - 1 < sp - 1;
}
_Noreturn void tx_frame_gone(void);          /* it is not: a fatal error */
enum { ABORT_COMMIT, ABORT_INEVITABLE, ABORT_VALIDATE, ABORT_TEST, ABORT_UPGRADE };

/* barrier.c */
void mark_read(struct seg *s, uint64_t a, uint64_t n);
void mark_write(struct seg *s, uint64_t a, uint64_t n, bool fresh);
void check_range(uint64_t a, uint64_t n, const struct _stm_site *site, const char *what);

/* alloc.c */
void alloc_setup(void);
void alloc_commit_locked(struct seg *s, uint64_t seq);  /* frees of s take effect */
void alloc_publish(struct seg *s);         /* commit, before the lock: allocations become ordinary */
void alloc_undo(struct seg *s);                         /* abort: allocations of s undone */
void alloc_fork_lock(void);                              /* fork (segment.c): the allocator */
void alloc_fork_unlock(void);
void alloc_fork_child(void);                             /* fork's child, before the unlock */
void alloc_forget(struct seg *s);                        /* fork child: s's thread is gone */
void alloc_warm_fold(struct seg *s); /* owner: its warm-up takes end (seg_release, warm_up) */
void alloc_reclaim_pending(struct seg *s);
void alloc_reclaimed(struct seg *s);                    /* after the lock: hand them back */
extern int g_room_want;              /* (alloc.c) allocations out of room: give the free lists */
void alloc_give_lists(struct seg *s); /* s's owner, no transaction running: lists to the pool */
static inline void alloc_room_check(struct seg *s)      /* at a transaction's end, let_go */
{
    if (UNLIKELY(__atomic_load_n(&g_room_want, __ATOMIC_RELAXED)))
        alloc_give_lists(s);
}
static inline void alloc_reclaim_locked(struct seg *s)  /* deferred frees now safe */
{
    if (g_cs.dq_n)
        alloc_reclaim_pending(s);
}
int alloc_objstate(uint64_t off);
bool alloc_none_live(struct seg *s); /* owner: every object its transaction allocated was freed */
uint64_t alloc_heap_top(void);                         /* first never-used offset */
uint64_t alloc_object_of(uint64_t off, uint64_t *size); /* start of off's object (0: none) */
void wset_room(struct seg *s, uint64_t need);          /* room for need more write-set entries */
bool alloc_fresh_in(struct seg *s, uint64_t off);      /* off's object is fresh in s's tx */

/* immutable.c */
void fresh_set_truncate(struct seg *s, size_t n);      /* the write set shrank to n entries */

/* setup.c */
void stats_sum(struct stats *out);

/* conflicts.c: STM_CONFLICTS=N, the report of which blocks' conflicts lost time.  A block's
 * site (seg.block_site, log_entry.site) is the address of STM_ATOMIC's site record, or
 * stm_atomic's function | SITE_FN (a function may lie at any address, an odd one at -Os;
 * user-space addresses leave bit 63 clear); 0 outside blocks, SITE_TEST a test hook's. */
#define SITE_FN (1ull << 63)
#define SITE_TEST ((uintptr_t)1)
uint64_t conflicts_now(void);                       /* a start's time stamp (TSC cycles) */
void conflicts_note(struct seg *s, bool stale);     /* an abort for a conflict, before its undo;
                                                     * stale: read markers of before a wrap */
void conflicts_print(void);                         /* at exit: the N costliest pairs */
/* an atomic block of s becomes inevitable at the external call at `call` (STM_CONFLICTS) */
void conflicts_inevitable(struct seg *s, const struct _stm_site *call);
void conflicts_alloc(uint64_t off, const void *ra); /* an object allocated at off by a call at ra */
void conflicts_fork_lock(void);                     /* fork (segment.c): the callers' table */
void conflicts_fork_unlock(void);

/* thread.c */
void thread_attach_main(void);
void thread_fork_child(void);   /* in the child of fork: the signal lock is free */

#pragma GCC visibility pop

#endif /* STMC_RT_INTERNAL_H */
