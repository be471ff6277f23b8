/* stmc.h - the user API of stmc, software transactional memory for C.
 *
 * Objects that threads share live in the STM heap (stm_alloc) and are reached through
 * STM_HEAP pointers.  Code compiled with stmcc gets its read and write barriers from the
 * compiler; code compiled with a plain C compiler calls stm_read()/stm_write() before each
 * access.  docs/api.md has one contract per declaration below.
 *
 * With STMC_NO_STM defined (stmcc --no-stm, link libstmc_nostm.a) the same source builds as
 * plain C: STM_HEAP is empty, stm_alloc is calloc and atomic blocks take one global recursive
 * lock.
 */
#ifndef STMC_H
#define STMC_H

/* The runtime's entry points and the macros' helpers are _stm_/_STMC_ names (reserved for
 * the implementation, which stmc is here): not the program's to be warned about. */
#ifdef __clang__
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreserved-identifier"
#pragma clang diagnostic ignored "-Wreserved-macro-identifier"
#pragma clang diagnostic ignored "-Wdeclaration-after-statement"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "stmc/layout.h"
#include "stmc/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Attributes ----------------------------------------------------------------------------- */
/* STM_HEAP qualifies a pointee as living in the STM heap (`node_t STM_HEAP *p`): the pointer is
 * an offset and accesses go through %gs, the running thread's segment.  Never cast one to a
 * plain pointer for code stmc does not compile; no heap pointers in static initializers.
 * STM_IMMUTABLE (field): written only by the transaction that allocated the object, before
 * anyone else can see it; reads need no barrier (STM_DEBUG=1 checks the stores).
 * STM_PURE (function): calling it never breaks a transaction (no blocking, no I/O).
 * STM_EXTERNAL (function): not compiled by stmc; a call makes a running atomic block
 * inevitable first, or ends the implicit transaction outside one.  The last three are
 * effective under the plugin only. */
#if defined(STMC_NO_STM) || defined(STMC_BUILDING_RUNTIME)
#define STM_HEAP
#elif !defined(__clang__)
/* Another compiler (GCC) has no address spaces: it ignored the attribute with a warning at
 * every declaration and read heap offsets as plain addresses (SIGSEGV at the first heap
 * access).  Heap pointers are plain pointers to it, and one warning says why it cannot touch
 * the heap; it may pass heap pointers on (STMC_POINTERS_ONLY says so, and silences the
 * warning, which no -Wno- option reaches), or build the baseline (-DSTMC_NO_STM). */
#define STM_HEAP
#if defined(__GNUC__) && !defined(STMC_POINTERS_ONLY)
#pragma GCC warning "stmc.h: only clang can compile STM heap accesses (STM_HEAP is clang's \
address_space(256)): an access in this file reads a heap pointer as a plain address and \
crashes. Compile it with stmcc, or build the plain-C baseline with -DSTMC_NO_STM (a file \
that only passes heap pointers on defines STMC_POINTERS_ONLY first)."
#endif
#else
#define STM_HEAP __attribute__((address_space(256)))
#endif

/* _STMC_PLUGIN: the stmc plugin compiles this file, loaded by stmcc (which defines
 * __STMC_PLUGIN__) or by hand (clang -fplugin=..., found by the attributes it adds). */
#if defined(__STMC_PLUGIN__)
#define _STMC_PLUGIN 1
#elif defined(__has_attribute)
#if __has_attribute(stm_immutable)
#define _STMC_PLUGIN 1
#endif
#endif

/* A C file compiled by clang without the plugin (whose attributes are how a compile finds it)
 * and without STMC_EXPLICIT_BARRIERS: its plain reads and writes of heap data would bypass the
 * barriers (its writes lost at the commit, silently).  Code that uses the explicit barriers
 * (STM_LOAD, STM_STORE, stm_read, stm_write) defines STMC_EXPLICIT_BARRIERS before including
 * this header, and code that only passes heap pointers on STMC_POINTERS_ONLY (either). */
#if defined(__clang__) && !defined(STMC_NO_STM) && !defined(STMC_BUILDING_RUNTIME) &&           \
    !defined(_STMC_PLUGIN) && !defined(STMC_EXPLICIT_BARRIERS) && !defined(STMC_POINTERS_ONLY)
#pragma GCC warning "stmc.h: this file is compiled without the stmc plugin (compile it with \
stmcc): its reads and writes of STM_HEAP data would bypass the STM barriers, and its writes be \
lost. Code that uses only the explicit barriers defines STMC_EXPLICIT_BARRIERS first."
#endif

/* The annotations need the plugin's attributes: with the plugin loaded by hand they had been
 * empty (no inevitable call, no immutable store: a retried block repeated its I/O). */
#if defined(_STMC_PLUGIN) && !defined(STMC_NO_STM)
#define STM_IMMUTABLE __attribute__((stm_immutable))
#define STM_PURE      __attribute__((stm_pure))
#define STM_EXTERNAL  __attribute__((stm_external))
#else
#define STM_IMMUTABLE
#define STM_PURE
#define STM_EXTERNAL
#endif

/* Every function declared here is part of libstmc: calling one never breaks a transaction. */
#define STMC_API __attribute__((visibility("default"))) STM_PURE

/* ---- Heap ----------------------------------------------------------------------------------- */
/* Any time, any thread: a new zeroed object of size bytes (0 counts as 1), 16-byte aligned,
 * that never moves.  In an atomic block it belongs to the transaction (undone by an abort,
 * visible to others from the commit); outside one, to the implicit transaction.  On heap
 * exhaustion: "stmc: heap exhausted ..." and abort(). */
STMC_API void STM_HEAP *stm_alloc(size_t size);
/* Any time, any thread: frees an object from stm_alloc (NULL ignored) when the transaction
 * commits (an abort undoes it); the memory is reused only after every transaction running at
 * that commit has ended, so they keep reading the old bytes.  A double free or a pointer that
 * is not an object's start: "stmc: ..." and abort(). */
STMC_API void stm_free(void STM_HEAP *p);
/* Any time, any thread: p itself if size rounds to its size class (16-byte steps to 2,048),
 * or, for a larger object, fits its pages and needs more than half of them (exactly its page
 * count with STM_NO_REALLOC_SLACK=1); else a new object with p's first min(old, size) bytes
 * (zero beyond) and p freed as by stm_free, all in the running transaction.  NULL:
 * stm_alloc(size).  Misuse is reported as stm_free's.  realloc under STMC_NO_STM. */
STMC_API void STM_HEAP *stm_realloc(void STM_HEAP *p, size_t size);

/* ---- Transactions --------------------------------------------------------------------------- */
/* STM_ATOMIC { fn(arg); } as a function (see STM_ATOMIC below); fn may run more than once. */
STMC_API void stm_atomic(void (*fn)(void *), void *arg);
/* In an atomic block: once it returns, the transaction cannot abort (it may abort and restart
 * the block while it validates), so I/O is safe after it.  One inevitable transaction at a
 * time: waits while another is.  Outside atomic blocks: nothing.  reason: informational. */
STMC_API void stm_become_inevitable(const char *reason);
/* In an atomic block: fn(arg) runs once after the commit, outside the block (dropped on
 * abort).  Outside one: fn(arg) runs at once. */
STMC_API void stm_on_commit(void (*fn)(void *), void *arg);
/* In an atomic block that is not inevitable: fn(arg) runs after a rollback, before the block
 * runs again (dropped at commit), outside any transaction: it may do I/O and change plain
 * memory, but touching the heap there is reported.  Otherwise ignored.  The callbacks take a
 * plain void *: a heap pointer travels as (void *)p, which the callback casts back to its
 * STM_HEAP type (never dereferenced as a plain pointer). */
STMC_API void stm_on_abort(void (*fn)(void *), void *arg);
/* True inside an atomic block (any depth) of the calling thread. */
STMC_API bool stm_in_atomic(void);
/* True where the calling code cannot be rolled back: outside atomic blocks, or in an
 * inevitable one. */
STMC_API bool stm_is_inevitable(void);
/* In an atomic block: aborts (restarting it) now if a commit conflicts with what it read,
 * else brings its view up to date; never needed for correctness.  Otherwise nothing. */
STMC_API void stm_validate(void);

/* ---- Tuning and statistics ------------------------------------------------------------------ */
/* Before starting threads: "NAME=value,NAME=value", the STM_* flags without their prefix (see
 * docs/api.md); blanks around names and values are skipped; values are decimal integers.
 * All or nothing: 0 with every item set; -1, with no flag changed, if an item has no '=', a
 * name is unknown or names a flag read only from the environment at start-up (SEGMENTS,
 * HEAP_MB, NO_GEN_LOCK), or inside an atomic block (each warned about); a value that is not
 * a number or out of range: "stmc: ..." and abort().  Before it changes flags it ends the
 * calling thread's implicit transaction. */
STMC_API int stm_setup(const char *options);

struct stm_stats {
#define STMC_X(name, desc) uint64_t name;
    STMC_STATS(STMC_X)
#undef STMC_X
};
/* Any time, any thread: the counters summed over all segments since start (each read without
 * stopping the others: a consistent total only once the threads are quiet). */
STMC_API void stm_stats_get(struct stm_stats *out);
/* The same, one line per counter with its meaning, to file (a FILE *; NULL: stderr). */
STMC_API void stm_stats_print(void *file /* FILE * */);

/* ---- Atomic blocks -------------------------------------------------------------------------- */
/* What an abort restores to re-run an atomic block: the callee-saved registers, the stack
 * pointer, the return address and the shadow-stack pointer.  Internal. */
typedef struct {
    unsigned long long _r[9];
} _stm_jmp_buf;

/* setjmp for atomic blocks (returns_twice, like setjmp): saves what _stm_jmp_buf holds and
 * returns 0; the runtime's abort returns 1 from it again.  15 instructions, against 28 for
 * glibc's setjmp, which also mangles the pointers and records the signal mask (the runtime
 * changes no signal mask; a body that changes one keeps it across a retry, as with _setjmp).
 * Internal: STM_ATOMIC calls it.  nothrow: with -fexceptions a call, not an invoke, which
 * LLVM's inliner recognises as returning twice, so no function with a block is inlined, also
 * where a call site asks for it after the plugin ran (a call through a function pointer made
 * direct, a declaration's call under LTO). */
STMC_API int _stm_setjmp(_stm_jmp_buf *b) __attribute__((returns_twice, nothrow));

/* The frame of one STM_ATOMIC block.  Internal: the fields may change. */
struct _stm_atomic_frame {
    _stm_jmp_buf jb;
    /* 0 not entered, 1 body running, 2 body done, 3 restart after an abort.  volatile: the
     * runtime sets 3 before its longjmp, and the macro reads it after setjmp returns again. */
    volatile int state;
    int nested;  /* flattened into an enclosing block */
};

/* A block's own variables have fixed names, so a block nested in another shadows the outer
 * one's: -Wshadow is silenced around the macro's own declarations (a diagnostic push/pop by
 * _Pragma), not in the block's body.  (They were numbered by __COUNTER__, which clang 22 calls
 * a C2y extension under -pedantic, also where no pragma around the macro could reach it: in a
 * macro's argument.) */
#define _STMC_CAT2(a, b) a##b
#define _STMC_CAT(a, b) _STMC_CAT2(a, b)
#if defined(__clang__) || defined(__GNUC__)
#define _STMC_QUIET_ON                                                                         \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wshadow\"")
#define _STMC_QUIET_OFF _Pragma("GCC diagnostic pop")
#else
#define _STMC_QUIET_ON
#define _STMC_QUIET_OFF
#endif
/* What STM_ATOMIC puts before its loop (below). */
#ifdef __clang__
#define _STMC_BLOCK_HEAD switch (0) default:
#else
#define _STMC_BLOCK_HEAD if (0) {} else
#endif

/* Where an STM_ATOMIC block is written: one static record per block, whose address the block
 * passes to the runtime as it enters (STM_CONFLICTS=N names blocks by it).  Internal. */
struct _stm_block_site {
    const char *file;
    const char *func;
    unsigned long line; /* (long: no padding for -Wpadded to name) */
};
#if defined(__clang__) || defined(__GNUC__)
/* __extension__: a statement expression is GNU C (no -pedantic warning for the macro's) */
#define _STMC_BLOCK_SITE                                                                       \
    __extension__({                                                                            \
        static const struct _stm_block_site _stm_bs = {__FILE__, __func__, __LINE__};         \
        &_stm_bs;                                                                              \
    })
#else
#define _STMC_BLOCK_SITE ((const struct _stm_block_site *)0)
#endif

#ifndef STMC_NO_STM
STMC_API int _stm_atomic_pre(struct _stm_atomic_frame *f, const struct _stm_block_site *site);
STMC_API int _stm_atomic_body(struct _stm_atomic_frame *f);
STMC_API void _stm_atomic_cleanup(struct _stm_atomic_frame *f);

/* Only the state needs a value before the block starts (an initializer would also zero the
 * jump buffer at every block). */
static inline struct _stm_atomic_frame *_stm_frame_init(struct _stm_atomic_frame *f)
{
    f->state = 0;
    return f;
}

/* STM_ATOMIC { ... } runs the block as one transaction, on any thread: committed blocks are
 * serializable, and a running one never sees a state no serial order could produce (opacity).
 * Nested blocks flatten into the outermost.  Leaving it by break, continue, return
 * or goto commits (the frame's cleanup does), and so does exit() or quick_exit() in it (before
 * the exit handlers run); longjmp out of it is a bug, reported.  An abort jumps back to the
 * _stm_setjmp below and runs the body again.  The plugin restores the function's locals that
 * the body changes to their values at the block's entry first, except volatile ones (without
 * the plugin nothing is restored: declare such locals volatile, as for any setjmp).  The runtime is called to enter (state 0) and to restart
 * (state 3); the loop's other tests of the state are inline.  One loop, entered once: the
 * declarations enter the block and save the registers (the setjmp's frame is the one the
 * cleanup gets, which is how the plugin finds the block's end).  (Two nested loops, the outer
 * one entering, made LLVM's loop passes superlinear in the number of blocks in a function:
 * 800 blocks took 19.9 s to compile at -O2, 6.0 s with one loop.)  Under clang the loop is the
 * default label of a `switch (0)`, so that `STM_ATOMIC;` followed by a statement draws no
 * -Wempty-body and an `else` after a block belongs to the user's `if`, without an `if` of the
 * macro's own (which drew -Wdangling-else for `if (c) STM_ATOMIC { ... }`).  Other compilers
 * (GCC, for the plain-C build) get `if (0) {} else`: GCC accepts a `case` label in a block that
 * a switch around it jumps to, past the frame's cleanup, and inside the macro's own switch
 * such a label would silently belong to that one (clang rejects the jump either way). */
#define STM_ATOMIC _STMC_QUIET_ON _STMC_ATOMIC(_stm_af) _STMC_QUIET_OFF
#define _STMC_ATOMIC(af)                                                                       \
    _STMC_BLOCK_HEAD                                                                           \
    for (struct _stm_atomic_frame af __attribute__((cleanup(_stm_atomic_cleanup))),            \
         *_STMC_CAT(af, p) __attribute__((unused)) =                                           \
             (_stm_frame_init(&af), (void)_stm_atomic_pre(&af, _STMC_BLOCK_SITE),              \
              (void)_stm_setjmp(&af.jb), &af);                                                 \
         af.state == 1 || (af.state == 3 && _stm_atomic_body(&af));                            \
         af.state = 2)
#else
struct _stm_nostm_frame { int done; };
STMC_API struct _stm_nostm_frame _stm_nostm_enter_at(struct _stm_nostm_frame *f);
STMC_API void _stm_nostm_leave(struct _stm_nostm_frame *f);
#define STM_ATOMIC _STMC_QUIET_ON _STMC_ATOMIC(_stm_af) _STMC_QUIET_OFF
#define _STMC_ATOMIC(af)                                                                       \
    _STMC_BLOCK_HEAD                                                                           \
    for (struct _stm_nostm_frame af __attribute__((cleanup(_stm_nostm_leave))) =              \
             _stm_nostm_enter_at(&af);                                                         \
         !af.done; af.done = 1)
#endif

/* ---- Explicit barriers (for code compiled by clang without the stmc plugin) ----------------- */
/* Clang only: STM_HEAP is clang's address_space(256) (accesses through %gs).  To GCC heap
 * pointers are plain (STM_HEAP above, with its one warning) and these would dereference heap
 * offsets as plain addresses: SIGSEGV.  With GCC build the plain-C baseline (STMC_NO_STM,
 * libstmc_nostm.a) instead. */
#if !defined(STMC_NO_STM) && !defined(STMC_BUILDING_RUNTIME)
#include "stmc/abi.h"

/* Every file that includes this header refers to the ABI version it was written for, so that
 * one compiled against another stmc's header fails to link instead of misbehaving (STM_ATOMIC
 * calls the runtime by this header's conventions), also without the plugin, whose modules
 * refer to it as well. */
static const int *const _stmc_abi_ref __attribute__((used)) = &STMC_ABI_VERSION_IDENT;

#define _STMC_GS_U8(off) (*(volatile uint8_t STM_HEAP *)(uintptr_t)(off))

/* Call before reading [p, p+n) of the STM heap.  For n <= 16 (every scalar) the range spans
 * at most two granules: two marker stores, no loop; longer ranges go to the runtime. */
static inline __attribute__((always_inline)) void stm_read(const void STM_HEAP *p, size_t n)
{
    uint64_t a = (uint64_t)(uintptr_t)p;
    uint8_t rv = _STMC_GS_U8(STMC_HDR_RV);
    if (__builtin_expect(rv <= STMC_VERSION_UNMARKED || n > STMC_GRANULE || n == 0, 0)) {
        if (n && rv != STMC_VERSION_UNMARKED)
            _stm_read_slow(a, n, 0);
        return;
    }
    _STMC_GS_U8(a >> STMC_GRANULE_SHIFT) = rv;
    _STMC_GS_U8((a + n - 1) >> STMC_GRANULE_SHIFT) = rv;
}

/* Call before writing [p, p+n) of the STM heap (a write also counts as a read); the slow path
 * records the granules and makes their pages private to the segment. */
static inline __attribute__((always_inline)) void stm_write(void STM_HEAP *p, size_t n)
{
    uint64_t a = (uint64_t)(uintptr_t)p;
    if (__builtin_expect(n > STMC_GRANULE, 0)) {
        _stm_write_slow(a, n, 0);
        return;
    }
    if (n == 0)
        return;
    uint8_t wv = _STMC_GS_U8(STMC_HDR_WV);
    if (__builtin_expect(_STMC_GS_U8(STMC_WMARK_OFF + (a >> STMC_GRANULE_SHIFT)) != wv ||
                         _STMC_GS_U8(STMC_WMARK_OFF + ((a + n - 1) >> STMC_GRANULE_SHIFT)) != wv,
                         0))
        _stm_write_slow(a, n, 0);
}

/* A safe point: outside atomic blocks, lets another thread take the heap (the inevitable
 * token, a segment) when it asks.  The plugin puts one on every loop back-edge; code with
 * explicit barriers that loops long outside atomic blocks should call it. */
static inline __attribute__((always_inline)) void stm_safepoint(void)
{
    if (__builtin_expect(_STMC_GS_U8(STMC_HDR_YIELD) != 0, 0))
        _stm_safepoint_slow(0);
}

/* Typed helpers for code without the plugin: STM_LOAD(p->f) is stm_read + the load,
 * STM_STORE(p->f, v) stm_write + the store, for one heap lvalue (not a bit-field).  The lvalue
 * is evaluated once (STM_LOAD(a[i++]) reads a[i] and covers it; the lvalue evaluated twice
 * put the barrier on one element and the access on the next), v once, after the barrier.
 * STM_LOAD declares no variable (a nested use, STM_LOAD(STM_LOAD(p)->f), shadowed one: -Wshadow),
 * so its barrier hands the address back as an integer; STM_STORE is a statement, whose one
 * variable has a name of stmc's own prefix. */
static inline __attribute__((always_inline)) uintptr_t _stm_read_addr(uintptr_t a, size_t n)
{
    stm_read((const void STM_HEAP *)a, n);
    return a;
}
#define STM_LOAD(lv) (*(__typeof__(&(lv)))(uintptr_t)_stm_read_addr((uintptr_t)&(lv), sizeof(lv)))
#define STM_STORE(lv, v)                                                                       \
    do {                                                                                       \
        __typeof__(&(lv)) _stm_store_at = &(lv);                                               \
        stm_write(_stm_store_at, sizeof *_stm_store_at);                                       \
        *_stm_store_at = (v);                                                                  \
    } while (0)
#elif defined(STMC_NO_STM)
static inline void stm_read(const void *p, size_t n) { (void)p; (void)n; }
static inline void stm_write(void *p, size_t n) { (void)p; (void)n; }
static inline void stm_safepoint(void) {}
#define STM_LOAD(lv) (lv)
#define STM_STORE(lv, v) do { (lv) = (v); } while (0)
#endif

/* ---- Test hooks (exported for the runtime's own tests; not a stable API) -------------------- */
#ifndef STMC_NO_STM
STMC_API int _stm_test_nsegments(void);
STMC_API void _stm_test_switch(int seg);           /* run this thread in segment seg (1..N) */
STMC_API int _stm_test_current(void);              /* 0: none (dummy) */
STMC_API void _stm_test_begin(void);               /* start an atomic transaction here */
STMC_API void _stm_test_begin_unmarked(void);      /* ... reading without markers */
STMC_API int _stm_test_try(void (*fn)(void *), void *arg); /* 1 fn returned, 0 it aborted */
STMC_API int _stm_test_commit(void);               /* 1 committed, 0 aborted (rolled back) */
STMC_API int _stm_test_validate(void);             /* 1 still valid, 0 aborted */
STMC_API int _stm_test_become_inevitable(void);    /* 1 inevitable, 0 aborted */
STMC_API void _stm_test_abort(void);               /* roll back now */
STMC_API int _stm_test_running(void);              /* a transaction runs in this segment */
STMC_API int _stm_test_seg_snap(int seg);          /* segment seg holds a snapshot (any thread) */
STMC_API void _stm_test_quiesce(void);             /* this segment lets its snapshot go */
/* The next commit (any thread) calls fn(arg) holding the commit lock, after writing segment 0
 * and before linking its log entry: a test forces what other threads do meanwhile. */
STMC_API void _stm_test_pause_commit(void (*fn)(void *), void *arg);
/* The same, after linking its log entry (still holding the lock); both may be set for one
 * commit (before, then after). */
STMC_API void _stm_test_pause_commit_linked(void (*fn)(void *), void *arg);
STMC_API uint64_t _stm_test_committed_u64(uint64_t off); /* the value in segment 0 */
STMC_API int _stm_test_is_private(int seg, uint64_t off);
STMC_API int _stm_test_objstate(uint64_t off);     /* 0 free, 1 allocated, 2 freed (deferred) */
STMC_API uint64_t _stm_test_log_length(void);
STMC_API uint64_t _stm_test_log_seq(void);          /* entries ever appended to the log */
STMC_API uint64_t _stm_test_heap_used(void);        /* bytes of heap ever handed out (its top) */
STMC_API int _stm_test_handbacks(void);             /* segments handing back reclaimed frees */
STMC_API uint64_t _stm_test_gen(void);              /* the commit seqlock (odd while locked) */
STMC_API uint64_t _stm_test_wset_length(void);      /* this segment's write-set entries */
STMC_API uint64_t _stm_test_allocs_length(void);    /* ... and its transaction's allocations */
STMC_API int _stm_test_rmark(uint64_t off);          /* this segment's read marker of off */
#endif

#ifdef __cplusplus
}
#endif
#ifdef __clang__
#pragma clang diagnostic pop
#endif
#endif /* STMC_H */
