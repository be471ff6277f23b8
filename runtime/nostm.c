/* runtime/nostm.c - libstmc_nostm: the plain-C baseline (stmcc --no-stm, STMC_NO_STM).
 * stm_alloc is calloc, stm_free is free, stm_realloc is realloc with the new bytes zeroed,
 * atomic blocks take one global recursive mutex, and on-commit callbacks run when the
 * outermost block is left.  Nothing ever aborts.
 */
#define _GNU_SOURCE
#define STMC_NO_STM 1
#include "stmc.h"

#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

static pthread_mutex_t g_big = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static __thread int t_depth;
static __thread struct { void (*fn)(void *); void *arg; } *t_cbs;
static __thread size_t t_ncb, t_capcb;

/* stm_realloc's new bytes must read zero (as in the STM build) without a size header (the
 * baseline keeps malloc's memory use per object).  So every object keeps this invariant: the
 * bytes past its requested size, up to malloc_usable_size, are zero.  stm_realloc can then
 * copy up to the old chunk's usable size (zeros past the old size) and zero from there; and a
 * shrink zeroes what it cut off, so that growing again gives zeros too. */
static void zero_tail(char *p, size_t from)
{
    size_t usable = malloc_usable_size(p);
    if (from < usable)
        memset(p + from, 0, usable - from);
}

EXPORT void *stm_alloc(size_t size)
{
    if (!size)
        size = 1;
    void *p = calloc(1, size);
    if (!p) {
        fprintf(stderr, "stmc: heap exhausted (calloc of %zu bytes failed)\n", size);
        abort();
    }
    /* No zero_tail(p, size) here: glibc's calloc clears the whole usable size of the chunk
     * (malloc_usable_size; fresh mmap pages for large ones), which is the invariant, and a
     * call per allocation would slow the baseline's allocation-heavy examples (trees2). */
    return p;
}

EXPORT void stm_free(void *p) { free(p); }

EXPORT void *stm_realloc(void *p, size_t size)
{
    if (!p)
        return stm_alloc(size);
    if (!size)
        size = 1;
    /* realloc keeps the old chunk's usable bytes up to the new size: the old object, then the
     * invariant's zeros up to old_usable.  Past min(size, old_usable) the chunk holds whatever
     * it held before (the shrunk object's bytes, a neighbour's old data): zero it. */
    size_t old_usable = malloc_usable_size(p);
    char *q = realloc(p, size);
    if (!q) {
        fprintf(stderr, "stmc: heap exhausted (realloc to %zu bytes failed)\n", size);
        abort();
    }
    zero_tail(q, size < old_usable ? size : old_usable);
    return q;
}

/* fork(): the child must not inherit the lock in another thread's name (a recursive mutex
 * held at the fork stays held by a thread id the child does not have: the child's next block,
 * or the end of the one that forked, blocked or failed, and it hung).  The fork takes the lock
 * first, so no other thread is inside a block (as the STM build's fork waits for commits); the
 * child gets a fresh lock, taken as deep as the forking thread's blocks (found by an
 * adversarial test: a fork inside a block hung the child, 2 of 2). */
static void fork_prepare(void) { pthread_mutex_lock(&g_big); }
static void fork_parent(void) { pthread_mutex_unlock(&g_big); }
static void fork_child(void)
{
    pthread_mutex_t fresh = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
    memcpy(&g_big, &fresh, sizeof g_big);
    for (int i = 0; i < t_depth; i++)
        pthread_mutex_lock(&g_big);
}

__attribute__((constructor)) static void nostm_init(void)
{
    pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* The frames of the blocks this thread is in, outermost first: in t_frames_in, or for deeper
 * nesting in memory from malloc, freed when the thread leaves its outermost block (a thread
 * keeps nothing allocated between blocks: LeakSanitizer counted an array a thread). */
#define FRAMES_IN 16
static __thread struct _stm_nostm_frame *t_frames_in[FRAMES_IN];
static __thread struct _stm_nostm_frame **t_frames;
static __thread size_t t_nframes, t_capframes;

static void frames_grow(void)
{
    size_t cap = t_capframes ? t_capframes * 2 : 2 * FRAMES_IN;
    struct _stm_nostm_frame **v = malloc(cap * sizeof *v);
    if (!v)
        abort();
    memcpy(v, t_frames, t_nframes * sizeof *v);
    if (t_frames != t_frames_in)
        free(t_frames);
    t_frames = v;
    t_capframes = cap;
}

static void frames_none(void)
{
    if (t_frames && t_frames != t_frames_in)
        free(t_frames);
    t_frames = t_frames_in;
    t_capframes = FRAMES_IN;
    t_nframes = 0;
}

EXPORT struct _stm_nostm_frame _stm_nostm_enter_at(struct _stm_nostm_frame *f)
{
    pthread_mutex_lock(&g_big);
    if (!t_frames)
        frames_none();
    if (t_nframes == t_capframes)
        frames_grow();
    t_frames[t_nframes++] = f;
    t_depth++;
    return (struct _stm_nostm_frame){0};
}

/* The outermost block's end runs its on-commit callbacks after the lock is released (as the
 * STM build runs them outside the block: one that waits for a thread that opens a block
 * deadlocked), from a list taken first (callbacks that open blocks register more: the shared
 * array was overwritten under the running loop, losing some callbacks and running others
 * twice). */
EXPORT void _stm_nostm_leave(struct _stm_nostm_frame *f)
{
    /* Blocks entered after this one and never left: a longjmp from a nested block to a setjmp
     * inside this one (an interpreter's error handler) skipped their ends.  The STM build's
     * nested blocks are part of the outermost one, so that is no error there; here each held
     * a level of the lock, which the thread kept for ever (the next thread's block deadlocked;
     * a review's find).  Their levels go now. */
    size_t k = t_nframes;
    while (k > 0 && t_frames[k - 1] != f)
        k--;
    if (k > 0) {
        for (; t_nframes > k; t_nframes--, t_depth--)
            pthread_mutex_unlock(&g_big);
        t_nframes--;
        if (!t_nframes && t_frames != t_frames_in)
            frames_none();
    }
    if (--t_depth > 0 || !t_ncb) {
        pthread_mutex_unlock(&g_big);
        return;
    }
    __typeof__(t_cbs) cbs = t_cbs;
    size_t n = t_ncb;
    t_cbs = NULL;
    t_ncb = t_capcb = 0;
    pthread_mutex_unlock(&g_big);
    for (size_t i = 0; i < n; i++)
        cbs[i].fn(cbs[i].arg);
    free(cbs);
}

/* exit() and quick_exit() in a block: as the STM build commits the block first, the blocks
 * this thread is in end here: the lock's levels go, the on-commit callbacks run, and the exit
 * handlers run outside any block (before, the callbacks never ran, the handlers ran with
 * stm_in_atomic() true, and other threads' blocks waited for the lock through them; a review
 * found the builds' outputs different).  Interposed as libstmc's are (thread.c). */
static void leave_blocks_before_exit(void)
{
    if (!t_depth)
        return;
    __typeof__(t_cbs) cbs = t_cbs;
    size_t n = t_ncb;
    t_cbs = NULL;
    t_ncb = t_capcb = 0;
    for (; t_depth > 0; t_depth--)
        pthread_mutex_unlock(&g_big);
    frames_none();
    for (size_t i = 0; i < n; i++)
        cbs[i].fn(cbs[i].arg);
    free(cbs);
}

EXPORT void exit(int status)
{
    void (*real)(int) = (void (*)(int))dlsym(RTLD_NEXT, "exit");
    leave_blocks_before_exit();
    real(status);
    __builtin_unreachable();
}

EXPORT void quick_exit(int status)
{
    void (*real)(int) = (void (*)(int))dlsym(RTLD_NEXT, "quick_exit");
    leave_blocks_before_exit();
    real(status);
    __builtin_unreachable();
}

EXPORT void stm_atomic(void (*fn)(void *), void *arg)
{
    STM_ATOMIC {
        fn(arg);
    }
}

EXPORT void stm_become_inevitable(const char *reason) { (void)reason; }

EXPORT void stm_on_commit(void (*fn)(void *), void *arg)
{
    if (!t_depth) {
        fn(arg);
        return;
    }
    if (t_ncb == t_capcb) {
        t_capcb = t_capcb ? t_capcb * 2 : 8;
        t_cbs = realloc(t_cbs, t_capcb * sizeof *t_cbs);
        if (!t_cbs)
            abort();
    }
    t_cbs[t_ncb].fn = fn;
    t_cbs[t_ncb].arg = arg;
    t_ncb++;
}

EXPORT void stm_on_abort(void (*fn)(void *), void *arg) { (void)fn; (void)arg; }
EXPORT bool stm_in_atomic(void) { return t_depth > 0; }
EXPORT bool stm_is_inevitable(void) { return true; }
EXPORT void stm_validate(void) {}
EXPORT int stm_setup(const char *options) { (void)options; return 0; }
EXPORT void stm_stats_get(struct stm_stats *out) { memset(out, 0, sizeof *out); }
EXPORT void stm_stats_print(void *file) { fputs("stmc statistics: none (built with --no-stm)\n", file ? file : stderr); }
