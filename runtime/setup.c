/* runtime/setup.c - start-up (no mandatory set-up call: a constructor builds the heap and
 * attaches the main thread), the STM_* flags, statistics, fatal errors and the SIGSEGV
 * handler that names misuse before the default action runs.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <time.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>

STMC_LINE struct flags g_flags = {
#define STMC_X(name, def, lo, hi, desc) .name = def,
    STMC_FLAGS(STMC_X)
#undef STMC_X
};

/* The lock word (g_gen, in g_cs's line with what the committer reads) or, with
 * STM_NO_GEN_LOCK, this. */
static STMC_LINE int g_spin;
struct seg *g_inevitable;
int g_commit_waiters;
int g_token_waiters;
/* Read at every atomic block's exit; written only when threads wait for a segment. */
STMC_LINE int g_seg_waiters;
/* Set at start-up. */
STMC_LINE bool g_gen_lock;
STMC_LINE bool g_ready;

/* g_lock is a test-and-test-and-set spinlock: its critical sections are short (a commit's copy
 * of its write set), and a sleeping mutex made two committing threads take turns on a
 * 2-core machine (measured: 2 threads slower than 1).  Past a few hundred spins it yields.
 *
 * By default (g_gen_lock) the lock word is the commit seqlock g_gen itself: taking the lock
 * is a compare-and-swap from even to odd, releasing it a release store of the next even
 * value.  So a commit makes g_gen odd with the lock's own locked instruction instead of a
 * second seq_cst store (one full barrier less per commit; the xchg was 6% of bank), and the
 * Dekker pair with lock-free starts still holds: the CAS is seq_cst and comes before the
 * committer's loads of the running flags.  The seqlock is then odd while anyone holds the lock,
 * not only while a commit publishes: a start that overlaps any locked section waits for it to
 * end (tx_start).  STM_NO_GEN_LOCK=1 (read once at start-up): a separate spinlock, and commits
 * make g_gen odd themselves. */
static inline void spin_wait(const void *p, bool gen)
{
    unsigned n = 0;
    for (;;) {
        if (gen ? !(__atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED) & 1)
                : !__atomic_load_n((const int *)p, __ATOMIC_RELAXED))
            return;
        spin_backoff(&n);
    }
}

void lock_slow(void)
{
    if (g_gen_lock) {
        while (!lock_try_gen())
            spin_wait(&g_gen, true);
        return;
    }
    while (__atomic_exchange_n(&g_spin, 1, __ATOMIC_SEQ_CST))
        spin_wait(&g_spin, false);
}

void unlock_spin(void)
{
    __atomic_store_n(&g_spin, 0, __ATOMIC_RELEASE);
}

/* Waiting for a condition under g_lock (the token, a segment): drop the lock, back off (spin,
 * then yield, then sleep 50 us), take it again; the caller re-checks its condition. */
void wait_locked(unsigned *round)
{
    unlock();
    unsigned r = (*round)++;
    if (r < 16)
        for (int i = 0; i < 64; i++)
            __builtin_ia32_pause();
    else if (r < 256)
        sched_yield();
    else {
        struct timespec ts = {0, 50000};
        nanosleep(&ts, NULL);
    }
    lock();
}

_Noreturn void stmc_fatal(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 2, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    if (write(2, "stmc: ", 6) < 0 || write(2, buf, (size_t)n) < 0) {
        /* nothing left to report with */
    }
    abort();
}

void stmc_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("stmc: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Doubles an array's capacity (64 entries at first); returns the array, moved. */
static void *grow_array(void *v, size_t *cap, size_t size)
{
    *cap = *cap ? *cap * 2 : 64;
    v = realloc(v, *cap * size);
    if (!v)
        stmc_fatal("out of memory (a vector of %zu entries)", *cap);
    return v;
}

void vec_grow(struct u64vec *v)
{
    v->v = grow_array(v->v, &v->cap, sizeof *v->v);
}

void vec32_grow(struct u32vec *v)
{
    v->v = grow_array(v->v, &v->cap, sizeof *v->v);
}

void cb_push(struct cbvec *v, void (*fn)(void *), void *arg)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->v = realloc(v->v, v->cap * sizeof *v->v);
        if (!v->v)
            stmc_fatal("out of memory (callbacks)");
    }
    v->v[v->n++] = (struct callback){fn, arg};
}

/* ---- flags ---------------------------------------------------------------------------------- */
static int set_flag(const char *name, size_t len, const char *val, bool from_env, bool late)
{
    char *end;
    errno = 0;
    long v = strtol(val, &end, 0);
#define STMC_X(fname, def, lo, hi, desc)                                                       \
    if (len == sizeof(#fname) - 1 && memcmp(name, #fname, len) == 0) {                         \
        if (late && (strcmp(#fname, "SEGMENTS") == 0 || strcmp(#fname, "HEAP_MB") == 0 ||     \
                     strcmp(#fname, "NO_GEN_LOCK") == 0)) {                                    \
            stmc_warn("stm_setup: %s only takes effect through the environment", #fname);      \
            return -1;                                                                         \
        }                                                                                      \
        if (errno || end == val || (*end && *end != ','))                                      \
            stmc_fatal("STM_%s=%s: not a number", #fname, val);                                \
        if (strcmp(#fname, "SEGMENTS") == 0 && v > (hi))                                       \
            stmc_fatal("STM_SEGMENTS=%ld: too many segments requested (at most %d)", v,        \
                       MAX_SEGMENTS);                                                          \
        if (v < (lo) || v > (hi))                                                              \
            stmc_fatal("STM_%s=%ld: out of range [%ld, %ld] (%s)", #fname, v, (long)(lo),      \
                       (long)(hi), desc);                                                      \
        g_flags.fname = v;                                                                     \
        return 0;                                                                              \
    }
    STMC_FLAGS(STMC_X)
#undef STMC_X
    if (!from_env)
        stmc_warn("stm_setup: unknown flag %.*s", (int)len, name);
    return -1;
}

static void read_env(void)
{
#define STMC_X(fname, def, lo, hi, desc)                                                       \
    {                                                                                          \
        const char *e = getenv("STM_" #fname);                                                 \
        if (e && *e)                                                                           \
            set_flag(#fname, sizeof(#fname) - 1, e, true, false);                              \
    }
    STMC_FLAGS(STMC_X)
#undef STMC_X
}

EXPORT int stm_setup(const char *options)
{
    /* No transaction of this thread may span a flag change: the allocator and the commit read
     * some flags at several steps of one transaction (STM_NO_FRESH_FREE set after an implicit
     * transaction's stm_alloc left that object "fresh" for good: its free then bypassed the
     * deferral, and a running transaction saw the memory reused). */
    struct seg *s = t_ts.seg;
    if (s && s->atomic_depth > 0) {
        stmc_warn("stm_setup(\"%s\") inside an atomic block: ignored (call it before starting "
                  "threads)", options ? options : "");
        return -1;
    }
    tx_end_implicit(s);
    int rc = 0;
    const char *p = options;
    while (p && *p) { /* items separated by commas; empty ones are skipped */
        const char *comma = strchr(p, ',');
        size_t item = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', item);
        if (item > 0 && !eq) {
            stmc_warn("stm_setup: \"%.*s\": expected NAME=value", (int)item, p);
            rc = -1;
        } else if (item > 0 && set_flag(p, (size_t)(eq - p), eq + 1, false, true) != 0) {
            rc = -1;
        }
        p = comma ? comma + 1 : NULL;
    }
    return rc;
}

/* ---- statistics ----------------------------------------------------------------------------- */
void stats_sum(struct stats *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 1; i <= g_nseg; i++) {
#define STMC_X(name, desc) out->name += __atomic_load_n(&g_seg[i].st.name, __ATOMIC_RELAXED);
        STMC_STATS(STMC_X)
#undef STMC_X
    }
}

EXPORT void stm_stats_get(struct stm_stats *out)
{
    struct stats s;
    stats_sum(&s);
#define STMC_X(name, desc) out->name = s.name;
    STMC_STATS(STMC_X)
#undef STMC_X
}

EXPORT void stm_stats_print(void *file)
{
    FILE *f = file ? file : stderr;
    struct stats s;
    stats_sum(&s);
    fprintf(f, "stmc statistics (%d segments):\n", g_nseg);
#define STMC_X(name, desc) fprintf(f, "  %-20s %12llu  %s\n", #name, (unsigned long long)s.name, desc);
    STMC_STATS(STMC_X)
#undef STMC_X
}

/* ---- SIGSEGV: name the misuse, then let the default action (or the previous handler) run ---- */
static struct sigaction g_old_segv;

static uintptr_t gs_base(void) /* async-signal-safe */
{
    unsigned long b = 0;
    if (syscall(SYS_arch_prctl, ARCH_GET_GS, &b) != 0)
        return 0;
    return (uintptr_t)b;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    uintptr_t a = (uintptr_t)si->si_addr, r = (uintptr_t)g_resv;
    char buf[300];
    int n = 0;
    if (a >= r && a < r + g_resv_size) {
        uint64_t idx = (a - r) >> STMC_SEG_SHIFT, off = (a - r) & (STMC_SEG_SIZE - 1);
        if ((int)idx == g_nseg + 1)
            n = snprintf(buf, sizeof buf, "stmc: heap access at offset 0x%llx without a barrier "
                         "in a thread that holds no segment (use stm_read/stm_write or compile "
                         "with stmcc)\n", (unsigned long long)off);
        else if (off >= HEAP_LIMIT && off < STMC_SEG_SIZE && off >= STMC_HEAP_START)
            n = snprintf(buf, sizeof buf, "stmc: invalid heap pointer: offset 0x%llx is beyond "
                         "the heap (STM_HEAP_MB=%ld)\n", (unsigned long long)off, g_flags.HEAP_MB);
        else if (off < STMC_HEAP_START)
            n = snprintf(buf, sizeof buf, "stmc: invalid heap pointer: offset 0x%llx in segment "
                         "%d is not in the heap (null heap pointer?)\n",
                         (unsigned long long)off, (int)idx);
        else
            n = snprintf(buf, sizeof buf, "stmc: fault at heap offset 0x%llx in segment %d\n",
                         (unsigned long long)off, (int)idx);
    } else if (a < STMC_SEG_SIZE && gs_base() == 0 &&
               (a >= STMC_HEAP_START >> STMC_GRANULE_SHIFT ||
                (a >= STMC_HDR_OFF && a < STMC_HDR_OFF + STMC_PAGE_SIZE))) {
        /* no %gs at all, and a barrier's access (the header, the markers) or a heap object */
        n = snprintf(buf, sizeof buf, "stmc: heap pointer 0x%llx dereferenced in a thread with "
                     "no stmc segment (%%gs is not set: thread not created through "
                     "pthread_create?)\n", (unsigned long long)a);
    } else if (a < STMC_HEAP_START) {
        /* Not a heap object's offset (objects start at STMC_HEAP_START): a plain null or
         * small pointer, no business of stmc's (every such crash was blamed on it). */
    } else if (a < STMC_SEG_SIZE && t_ts.seg && gs_base() == (uintptr_t)t_ts.seg->base) {
        /* %gs is this thread's segment: the access did not go through it */
        n = snprintf(buf, sizeof buf, "stmc: heap pointer 0x%llx dereferenced as a plain "
                     "pointer, without %%gs: by code stmc did not compile (a library call such as "
                     "printf(\"%%s\", p)?) or through a cast to a plain pointer\n",
                     (unsigned long long)a);
    } else if (a < STMC_SEG_SIZE) {
        n = snprintf(buf, sizeof buf, "stmc: heap pointer 0x%llx dereferenced in a thread with "
                     "no stmc segment (%%gs is not set: thread not created through "
                     "pthread_create?)\n", (unsigned long long)a);
    }
    if (n > 0 && write(2, buf, (size_t)n) < 0) {
        /* nothing to do */
    }
    if ((g_old_segv.sa_flags & SA_SIGINFO) && g_old_segv.sa_sigaction) {
        g_old_segv.sa_sigaction(sig, si, uc);
        return;
    }
    if (g_old_segv.sa_handler != SIG_DFL && g_old_segv.sa_handler != SIG_IGN &&
        g_old_segv.sa_handler) {
        g_old_segv.sa_handler(sig);
        return;
    }
    signal(SIGSEGV, SIG_DFL); /* returning re-executes the access: the default action */
}

static void install_segv(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_old_segv);
}

/* ---- start and exit ------------------------------------------------------------------------- */
static void stmc_atexit(void)
{
    struct seg *s = t_ts.seg;
    if (s && s->atomic_depth > 0 && s->frame) {
        /* exit() and quick_exit() in a block commit it first (thread.c); this is a block
         * left by longjmp, or an exit that went around them (libc's own). */
        static const char m[] = "stmc: the program exited inside an atomic block (the block "
                                "left by longjmp?): its transaction never committed\n";
        if (write(2, m, sizeof m - 1) < 0) {
            /* nothing to do */
        }
    }
    if (s && s->running && s->implicit && s->atomic_depth == 0)
        tx_end_implicit(s);
    if (g_flags.STATS)
        stm_stats_print(stderr);
}

/* ---- membarrier: the committer's half of tx_quiesce_idle_locked's Dekker pair ----------------- */
bool g_have_membarrier;

bool membarrier_all(void)
{
    return syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0;
}

__attribute__((constructor(101))) static void stmc_init(void)
{
    if (g_ready)
        return;
    /* %gs is 0 in a fresh x86-64 Linux process; set, another copy of the runtime set it up
     * (a library that linked libstmc itself): two heaps behind one %gs give wrong results. */
    if (gs_base() != 0)
        stmc_fatal("a second copy of the stmc runtime was loaded into this process (a shared "
                   "library linked with libstmc?): build libraries with stmcc -shared, which "
                   "links no runtime into them");
    read_env();
    g_gen_lock = !g_flags.NO_GEN_LOCK;
    seg_setup();
    log_setup();
    alloc_setup();
    install_segv();
    seg_fork_setup();
    /* Linux 4.14 and later; without it idle segments keep their snapshots until they let go */
    g_have_membarrier =
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
    thread_attach_main();
    g_ready = true;
    atexit(stmc_atexit);
}
