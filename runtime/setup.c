/* runtime/setup.c - start-up (no mandatory set-up call: a constructor builds the heap and
 * attaches the main thread), the STM_* flags, statistics, fatal errors and the SIGSEGV
 * handler that names misuse before the default action runs.
 */
#include "internal.h"

#include <dlfcn.h>
#include <limits.h>
#include <sched.h>
#include <time.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>

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
/* Set at start-up and by stm_setup (flags_derived). */
STMC_LINE bool g_commit_short;
bool g_write_inline;
bool g_unlogged;
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
        /* the system call itself: nanosleep() is a cancellation point, and a deferred cancel
         * acting here left the thread's wait counted (g_token_waiters: every later start
         * outside blocks waited for it) or ran cleanup handlers inside the runtime */
        struct timespec ts = {0, 50000};
        syscall(SYS_nanosleep, &ts, NULL);
    }
    lock();
}

/* Names the code at pc as addr2line takes it: "[symbol in ]object (addr2line -f -e object
 * 0x...)", the address counted from a position-independent object's load base.  0 (nothing
 * written) where dladdr knows no object there; else the length (snprintf's: may exceed room). */
int stmc_code_where(const void *pc, char *buf, size_t room)
{
    Dl_info info;
    if (!pc || !dladdr(pc, &info) || !info.dli_fbase)
        return 0;
    const char *obj = info.dli_fname && *info.dli_fname ? info.dli_fname : "";
    char exe[400];
    if (obj[0] != '/') { /* the program, named as it was started (through PATH, say) */
        ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (k > 0) {
            exe[k] = 0;
            obj = exe;
        }
    }
    uintptr_t at = (uintptr_t)pc;
    /* a position-independent object's addresses count from its load base; ET_EXEC's not */
    const unsigned char *eh = info.dli_fbase;
    if (eh[16] == 3 /* ET_DYN */)
        at -= (uintptr_t)info.dli_fbase;
    return snprintf(buf, room, "%s%s%s (addr2line -f -e %s 0x%lx)",
                    info.dli_sname ? info.dli_sname : "", info.dli_sname ? " in " : "", obj, obj,
                    (unsigned long)at);
}

/* The one line of a fatal misuse, "stmc: " and the message, then abort().  With ra (the
 * return address of a call to an API function), the message names the caller as addr2line
 * takes it: the object and the address in it. */
static _Noreturn void fatal_v(const void *ra, const char *fmt, va_list ap)
{
    char buf[900];
    int n = vsnprintf(buf, 512, fmt, ap);
    if (n < 0)
        n = 0;
    if (n > 511) /* cut: vsnprintf wrote 511 characters */
        n = 511;
    static const char from[] = "; called from ";
    size_t room = sizeof buf - 1 - (size_t)n; /* and one for the newline */
    /* ra - 1: inside the call instruction */
    int m = ra ? stmc_code_where((const char *)ra - 1, buf + n + sizeof from - 1,
                                 room - (sizeof from - 1))
               : 0;
    if (m > 0) {
        memcpy(buf + n, from, sizeof from - 1);
        m += (int)sizeof from - 1;
        n += (size_t)m < room ? m : (int)room - 1;
    }
    buf[n++] = '\n';
    /* one write with its prefix: two threads that stop at once printed "stmc: stmc: heap
     * exhausted ..." and a line without one (a review's stress run) */
    struct iovec iov[2] = {{(void *)"stmc: ", 6}, {buf, (size_t)n}};
    if (writev(2, iov, 2) < 0) {
        /* nothing left to report with */
    }
    abort();
}

_Noreturn void stmc_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fatal_v(NULL, fmt, ap);
}

/* stmc_fatal for a misuse of an API function, naming the code that called it (ra, the call's
 * return address). */
_Noreturn void stmc_fatal_at(const void *ra, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fatal_v(ra, fmt, ap);
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
/* A vector's array doubles: a new array, the entries copied, the new array stored, then the
 * new capacity, then the old array freed.  A fork child gets the other threads' vectors as
 * they were at any of their instructions, and must never see a capacity larger than its array:
 * with realloc, which came after the capacity's store, a child saw a capacity of 64 and no
 * array, and its first allocation wrote through NULL (2 of 800 children of a review's test
 * that forks while a thread allocates in atomic blocks; 9 of 10 runs of
 * e2e/fork_vector_grow.c had such a child).  (The compiler fences keep the stores in that
 * order; x86 makes them visible in it.) */
static void *new_array(const void *old, size_t old_cap, size_t cap, size_t size)
{
    void *v = rt_realloc(NULL, cap * size);
    if (!v)
        stmc_fatal("out of memory (a vector of %zu entries)", cap);
    if (old_cap)
        memcpy(v, old, old_cap * size);
    return v;
}

#define GROW(vec)                                                                              \
    do {                                                                                       \
        void *old_ = (vec)->v;                                                                 \
        size_t cap_ = (vec)->cap ? (vec)->cap * 2 : 64;                                        \
        (vec)->v = new_array(old_, (vec)->cap, cap_, sizeof *(vec)->v);                        \
        __atomic_signal_fence(__ATOMIC_SEQ_CST);                                               \
        (vec)->cap = cap_;                                                                     \
        __atomic_signal_fence(__ATOMIC_SEQ_CST);                                               \
        rt_free(old_);                                                                         \
    } while (0)

void vec_grow(struct u64vec *v)
{
    GROW(v);
}

void vec32_grow(struct u32vec *v)
{
    GROW(v);
}

void cb_push(struct cbvec *v, void (*fn)(void *), void *arg)
{
    if (v->n == v->cap)
        GROW(v);
    v->v[v->n++] = (struct callback){fn, arg};
}

/* ---- flags ---------------------------------------------------------------------------------- */
/* One row per flag, in STMC_FLAGS order. */
static const struct flag_info {
    const char *env;   /* "STM_NAME"; the name is env + 4 */
    size_t field;      /* offsetof(struct flags, NAME) */
    long lo, hi;
    const char *desc;
} g_flag_info[] = {
#define STMC_X(fname, def, lo, hi, desc)                                                       \
    {"STM_" #fname, offsetof(struct flags, fname), lo, hi, desc},
    STMC_FLAGS(STMC_X)
#undef STMC_X
};
enum { NFLAGS = sizeof g_flag_info / sizeof g_flag_info[0] };

/* SEGMENTS and HEAP_MB shape the heap, which exists before main, and NO_GEN_LOCK the commit
 * lock: they are read from the environment only, and stm_setup refuses them. */
static bool env_only(const struct flag_info *f)
{
    const char *n = f->env + 4;
    return strcmp(n, "SEGMENTS") == 0 || strcmp(n, "HEAP_MB") == 0 ||
           strcmp(n, "NO_GEN_LOCK") == 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* [*b, *e) without the blanks at either end. */
static void trim(const char **b, const char **e)
{
    while (*b < *e && is_blank(**b))
        ++*b;
    while (*e > *b && is_blank((*e)[-1]))
        --*e;
}

/* The flag named [b, e), or NULL. */
static const struct flag_info *flag_find(const char *b, const char *e)
{
    size_t len = (size_t)(e - b);
    for (int i = 0; i < NFLAGS; i++)
        if (strlen(g_flag_info[i].env + 4) == len && memcmp(g_flag_info[i].env + 4, b, len) == 0)
            return &g_flag_info[i];
    return NULL;
}

/* [b, e) as a decimal integer: an optional sign, then digits only ("010" is ten; "0x3" and
 * "" are no numbers); false also when it does not fit a long. */
static bool parse_decimal(const char *b, const char *e, long *out)
{
    bool neg = b < e && *b == '-';
    if (b < e && (*b == '-' || *b == '+'))
        b++;
    if (b == e)
        return false;
    unsigned long v = 0, max = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
    for (; b < e; b++) {
        if (*b < '0' || *b > '9')
            return false;
        unsigned d = (unsigned)(*b - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (long)(0 - v) : (long)v; /* 0 - v: LONG_MIN without overflow */
    return true;
}

/* Flag f's value [b, e) (blanks trimmed already), checked: a decimal number in f's range, or
 * the process stops with the reason. */
static long flag_value(const struct flag_info *f, const char *b, const char *e)
{
    long v;
    if (!parse_decimal(b, e, &v))
        stmc_fatal("%s=%.*s: not a number (values are decimal integers)", f->env, (int)(e - b),
                   b);
    if (strcmp(f->env, "STM_SEGMENTS") == 0 && v > f->hi)
        stmc_fatal("STM_SEGMENTS=%ld: too many segments requested (at most %d)", v,
                   MAX_SEGMENTS);
    if (v < f->lo || v > f->hi)
        stmc_fatal("%s=%ld: out of range [%ld, %ld] (%s)", f->env, v, f->lo, f->hi, f->desc);
    return v;
}

static long *flag_slot(const struct flag_info *f)
{
    return (long *)(void *)((char *)&g_flags + f->field);
}

static void read_env(void)
{
    for (int i = 0; i < NFLAGS; i++) {
        const char *b = getenv(g_flag_info[i].env);
        if (!b)
            continue;
        const char *e = b + strlen(b);
        trim(&b, &e);
        if (b < e) /* set but empty (or blank): the default */
            *flag_slot(&g_flag_info[i]) = flag_value(&g_flag_info[i], b, e);
    }
}

/* One pass over stm_setup's items ("NAME=value" separated by commas; blanks around names and
 * values, and empty items, are skipped).  apply false: check every item, warn about each that
 * is refused, and return -1 if any was (a bad value stops the process here, before any flag
 * changed).  apply true, after a check that returned 0: set the flags. */
static int setup_items(const char *options, bool apply)
{
    int rc = 0;
    for (const char *p = options; p && *p;) {
        const char *comma = strchr(p, ',');
        const char *b = p, *e = comma ? comma : p + strlen(p);
        p = comma ? comma + 1 : NULL;
        trim(&b, &e);
        if (b == e)
            continue;
        const char *eq = memchr(b, '=', (size_t)(e - b));
        if (!eq) {
            stmc_warn("stm_setup: \"%.*s\": expected NAME=value", (int)(e - b), b);
            rc = -1;
            continue;
        }
        const char *nb = b, *ne = eq, *vb = eq + 1, *ve = e;
        trim(&nb, &ne);
        trim(&vb, &ve);
        const struct flag_info *f = flag_find(nb, ne);
        if (!f) {
            stmc_warn("stm_setup: unknown flag %.*s", (int)(ne - nb), nb);
            rc = -1;
        } else if (env_only(f)) {
            stmc_warn("stm_setup: %s only takes effect through the environment", f->env + 4);
            rc = -1;
        } else {
            long v = flag_value(f, vb, ve);
            if (apply)
                *flag_slot(f) = v;
        }
    }
    return rc;
}

/* What the flags decide together, after any change of them: tx.c's short commit reads one
 * byte instead of six flags, a start one instead of two. */
static void flags_derived(void)
{
    g_commit_short = !g_flags.NO_COMMIT_SHORT && g_gen_lock && !g_flags.NO_WMARK_CLEAR &&
                     !g_flags.NO_PREVALIDATE && !g_flags.NO_LOG_RECYCLE &&
                     !g_flags.NO_STICKY_SNAPSHOT;
    g_write_inline = !g_flags.NO_WRITE_INLINE && !g_flags.NO_WRITE_FAST;
    g_unlogged = !g_flags.NO_UNLOGGED;
}

EXPORT int stm_setup(const char *options)
{
    /* No transaction of this thread may span a flag change: the allocator and the commit read
     * some flags at several steps of one transaction (STM_NO_FRESH_FREE set after an implicit
     * transaction's stm_alloc left that object "fresh" for good: its free then bypassed the
     * deferral, and a running transaction saw the memory reused). */
    if (UNLIKELY(!g_ready)) /* in a constructor before the runtime's: its environment first */
        stmc_init_early();
    struct seg *s = t_ts.seg;
    if (s && s->atomic_depth > 0) {
        stmc_warn("stm_setup(\"%s\") inside an atomic block: ignored (call it before starting "
                  "threads)", options ? options : "");
        return -1;
    }
    /* All or nothing: a string with a refused item changes no flag (MAX_ABORTS=0,BOGUS=1
     * returned -1 with MAX_ABORTS set). */
    if (setup_items(options, false) != 0)
        return -1;
    tx_end_implicit(s);
    setup_items(options, true);
    flags_derived();
    return 0;
}

/* ---- statistics ----------------------------------------------------------------------------- */
void stats_sum(struct stats *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 1; i <= g_nseg; i++) {
#define STMC_X(name, desc) out->name += __atomic_load_n(&g_seg[i].st.name, __ATOMIC_RELAXED);
        STMC_STATS(STMC_X)
#undef STMC_X
        /* counted by the write fast path, in the header (stmc/layout.h) */
        out->writes_inline += __atomic_load_n(&g_seg[i].hdr->writes_inline, __ATOMIC_RELAXED);
        /* what the short commits count in one counter and one sum each way (tx.c,
         * commit_short; struct seg): st.commits_short counts the logged ones only */
        uint64_t sc = __atomic_load_n(&g_seg[i].st.commits_short, __ATOMIC_RELAXED);
        uint64_t su = __atomic_load_n(&g_seg[i].st.commits_unlogged, __ATOMIC_RELAXED);
        uint64_t sg = __atomic_load_n(&g_seg[i].short_granules, __ATOMIC_RELAXED);
        uint64_t ug = __atomic_load_n(&g_seg[i].unlogged_granules, __ATOMIC_RELAXED);
        out->commits_short += su;
        out->commits += sc + su;
        out->log_entries += sc;
        out->published_granules += sg + ug;
        out->log_runs += sg;
        out->wmark_clears += sg + ug;
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

/* The statistics' lines, formatted without stdio ("  %-20s %12llu  %s" a counter) and handed
 * to put: stm_stats_print writes them to a FILE, and exit or quick_exit in a signal handler
 * with write(2), where the interrupted code may hold stderr's lock (fprintf there can hang). */
struct linebuf {
    char b[320];
    size_t n;
};
static void lb_str(struct linebuf *l, const char *s, size_t width)
{
    size_t k = 0;
    for (; s[k] && l->n < sizeof l->b - 1; k++)
        l->b[l->n++] = s[k];
    for (; k < width && l->n < sizeof l->b - 1; k++)
        l->b[l->n++] = ' ';
}
static void lb_u64(struct linebuf *l, unsigned long long v, size_t width)
{
    char d[24];
    size_t k = 0;
    do {
        d[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = k; i < width && l->n < sizeof l->b - 1; i++)
        l->b[l->n++] = ' ';
    while (k && l->n < sizeof l->b - 1)
        l->b[l->n++] = d[--k];
}
typedef void put_fn(void *to, const char *b, size_t n);
static void lb_end(struct linebuf *l, put_fn *put, void *to)
{
    l->b[l->n++] = '\n';
    put(to, l->b, l->n);
    l->n = 0;
}
static void stats_lines(put_fn *put, void *to)
{
    struct stats s;
    stats_sum(&s);
    struct linebuf l = {.n = 0};
    lb_str(&l, "stmc statistics (", 0);
    lb_u64(&l, (unsigned long long)g_nseg, 0);
    lb_str(&l, " segments):", 0);
    lb_end(&l, put, to);
#define STMC_X(name, desc)                                                                    \
    lb_str(&l, "  ", 0);                                                                      \
    lb_str(&l, #name, 20);                                                                    \
    lb_str(&l, " ", 0);                                                                       \
    lb_u64(&l, (unsigned long long)s.name, 12);                                               \
    lb_str(&l, "  ", 0);                                                                      \
    lb_str(&l, desc, 0);                                                                      \
    lb_end(&l, put, to);
    STMC_STATS(STMC_X)
#undef STMC_X
}
static void put_file(void *to, const char *b, size_t n) { fwrite(b, 1, n, to); }
static void put_fd(void *to, const char *b, size_t n)
{
    int fd = *(const int *)to;
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, b + off, n - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
}

EXPORT void stm_stats_print(void *file)
{
    stats_lines(put_file, file ? file : stderr);
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

/* The faulting instruction addresses memory through %gs (a 0x65 among its legacy prefixes):
 * a heap access, or one of its barrier's.  Not for a fault on fetching the instruction. */
static bool gs_access(void *uc, uintptr_t a)
{
    const unsigned char *p =
        (const unsigned char *)(uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
    if (!p || (uintptr_t)p == a)
        return false;
    for (int i = 0; i < 5; i++) {
        switch (p[i]) {
        case 0x65:
            return true;
        case 0xF0: case 0xF2: case 0xF3: case 0x2E: case 0x36: case 0x3E: case 0x26: case 0x64:
        case 0x66: case 0x67:
            continue;
        default:
            return false;
        }
    }
    return false;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    uintptr_t a = (uintptr_t)si->si_addr, r = (uintptr_t)g_resv, gs = gs_base();
    char buf[300];
    int n = 0;
    if (gs && gs_access(uc, a) && (a == 0 || a - gs >= STMC_SEG_SIZE)) {
        /* through %gs, but not within the segment: an offset that no heap pointer holds (an
         * integer, or a plain pointer, made a heap pointer); the kernel reports 0 for an
         * address that is not canonical */
        if (a == 0)
            n = snprintf(buf, sizeof buf, "stmc: invalid heap pointer: a heap access (through "
                         "%%gs) faulted at a non-canonical address: a heap pointer made from an "
                         "integer or a plain pointer that was never a heap pointer?\n");
        else
            n = snprintf(buf, sizeof buf, "stmc: invalid heap pointer: a heap access (through "
                         "%%gs) faulted at offset 0x%llx, beyond the segment: a heap pointer "
                         "made from an integer or a plain pointer that was never a heap "
                         "pointer?\n", (unsigned long long)(a - gs));
    } else if (a >= r && a < r + g_resv_size) {
        uint64_t idx = (a - r) >> STMC_SEG_SHIFT, off = (a - r) & (STMC_SEG_SIZE - 1);
        if ((int)idx == g_nseg + 1)
            n = snprintf(buf, sizeof buf, "stmc: heap access at offset 0x%llx without a barrier "
                         "in a thread that holds no segment (use stm_read/stm_write or compile "
                         "with stmcc)\n", (unsigned long long)off);
        else if (off >= HEAP_LIMIT && off < STMC_SEG_SIZE && off >= STMC_HEAP_START)
            n = snprintf(buf, sizeof buf, "stmc: invalid heap pointer: offset 0x%llx is beyond "
                         "the heap (STM_HEAP_MB=%ld)\n", (unsigned long long)off, g_flags.HEAP_MB);
        else if (off >= STMC_WMARK_OFF &&
                 off < STMC_WMARK_OFF + (STMC_HEAP_START >> STMC_GRANULE_SHIFT))
            /* the write barrier's marker of a pointer below the heap: name the pointer (the
             * marker's offset, 0x1fff0000 for a null one, read as the pointer's value) */
            n = snprintf(buf, sizeof buf, "stmc: invalid heap pointer: a write to heap offset "
                         "0x%llx-0x%llx, which is not in the heap (null heap pointer?), faulted "
                         "in its barrier (segment %d)\n",
                         (unsigned long long)((off - STMC_WMARK_OFF) << STMC_GRANULE_SHIFT),
                         (unsigned long long)((off - STMC_WMARK_OFF) << STMC_GRANULE_SHIFT) +
                             STMC_GRANULE - 1,
                         (int)idx);
        else if (off < STMC_HEAP_START)
            n = snprintf(buf, sizeof buf, "stmc: invalid heap pointer: offset 0x%llx in segment "
                         "%d is not in the heap (null heap pointer?)\n",
                         (unsigned long long)off, (int)idx);
        else
            n = snprintf(buf, sizeof buf, "stmc: fault at heap offset 0x%llx in segment %d\n",
                         (unsigned long long)off, (int)idx);
    } else if (a < STMC_SEG_SIZE && gs == 0 &&
               (a >= STMC_HEAP_START >> STMC_GRANULE_SHIFT ||
                (a >= STMC_HDR_OFF && a < STMC_HDR_OFF + STMC_PAGE_SIZE))) {
        /* no %gs at all, and a barrier's access (the header, the markers) or a heap object */
        n = snprintf(buf, sizeof buf, "stmc: heap pointer 0x%llx dereferenced in a thread with "
                     "no stmc segment (%%gs is not set: thread not created through "
                     "pthread_create?)\n", (unsigned long long)a);
    } else if (a < STMC_HEAP_START) {
        /* Not a heap object's offset (objects start at STMC_HEAP_START): a plain null or
         * small pointer, no business of stmc's (every such crash was blamed on it). */
    } else if (a < STMC_SEG_SIZE && t_ts.seg && gs == (uintptr_t)t_ts.seg->base) {
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
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    rt_sigaction(SIGSEGV, &dfl, NULL); /* returning re-executes the access: the default action */
}

/* The program's view of SIGSEGV (sigaction in thread.c, under its lock).  The kernel's
 * handler is on_segv from the runtime's start: a query then reports what on_segv passes
 * faults on to (the handler before the runtime's, SIG_DFL in most programs), not on_segv
 * itself (a program that installs its own handler only over the default saw one there).  A
 * request for SIG_DFL while on_segv is installed keeps it, with SIG_DFL behind it: the
 * default action then still comes after the runtime's diagnostics (programs that reset their
 * signals at start).  true: act was taken (old, if given, reports the previous view). */
bool segv_view(const struct sigaction *act, struct sigaction *old)
{
    struct sigaction cur;
    if (rt_sigaction(SIGSEGV, NULL, &cur) != 0 || !(cur.sa_flags & SA_SIGINFO) ||
        cur.sa_sigaction != on_segv)
        return false;
    if (act && act->sa_handler != SIG_DFL) /* (SIG_DFL is 0: either member of the union) */
        return false; /* a handler (or SIG_IGN) replaces on_segv, as the kernel's own would */
    if (old)
        *old = g_old_segv;
    if (act) {
        /* on_segv may run now in another thread: the handler first (SIG_DFL reads as no
         * handler whatever the flags), then the flags */
        __atomic_store_n(&g_old_segv.sa_handler, SIG_DFL, __ATOMIC_RELAXED);
        __atomic_store_n(&g_old_segv.sa_flags, act->sa_flags & ~SA_SIGINFO, __ATOMIC_RELAXED);
        g_old_segv.sa_mask = act->sa_mask;
    }
    return true;
}

static void install_segv(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    rt_sigaction(SIGSEGV, &sa, &g_old_segv);
}

/* ---- start and exit ------------------------------------------------------------------------- */
static void stmc_exit_hook(void)
{
    struct seg *s = t_ts.seg;
    /* exit from a signal handler: whatever the handler interrupted (a block, a commit, an
     * implicit transaction) is left uncommitted; api.md "Signals" says so. */
    if (in_signal_handler())
        s = NULL;
    if (s && s->atomic_depth > 0 && s->frame) {
        /* exit() and quick_exit() in a block commit it first (thread.c); this is a block
         * left by longjmp, or an exit that went around them (libc's own: err, error, ...). */
        static const char m[] = "stmc: the program exited inside an atomic block (the block "
                                "left by longjmp, or an exit of the C library's own: err(), "
                                "error()?): its transaction never committed\n";
        if (write(2, m, sizeof m - 1) < 0) {
            /* nothing to do */
        }
    }
    if (s && s->running && s->implicit && s->atomic_depth == 0)
        tx_end_implicit(s);
    if (g_flags.STATS && in_signal_handler()) {
        int fd = 2;
        stats_lines(put_fd, &fd);
    } else if (g_flags.STATS) {
        stm_stats_print(stderr);
    }
    if (!in_signal_handler()) /* stdio: not from a signal handler */
        conflicts_print();
}

/* ---- membarrier: the committer's half of tx_quiesce_idle_locked's Dekker pair ----------------- */
bool g_have_membarrier;

bool membarrier_all(void)
{
    return syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0;
}

/* The runtime starts in this constructor, or earlier where a thread needs a segment before it
 * ran (seg_acquire): constructors of one priority run in link order, and a shared library's run
 * before the program's.  Constructors run on one thread, before main: no race (a thread
 * started by a constructor before the runtime ran is not attached, and not supported). */
__attribute__((constructor(101))) void stmc_init_early(void)
{
    static bool started;
    if (g_ready || started)
        return;
    started = true;
    /* %gs is 0 in a fresh x86-64 Linux process; set, another copy of the runtime set it up
     * (a library that linked libstmc itself): two heaps behind one %gs give wrong results. */
    if (gs_base() != 0)
        stmc_fatal("a second copy of the stmc runtime was loaded into this process (a shared "
                   "library linked with libstmc?): build libraries with stmcc -shared, which "
                   "links no runtime into them");
    read_env();
    g_gen_lock = !g_flags.NO_GEN_LOCK;
    flags_derived();
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
    at_quick_exit(stmc_exit_hook); /* the statistics, and the implicit transaction's commit */
}

/* At exit, stmc_exit_hook runs as a destructor of the lowest priority, not an atexit handler: the
 * C library runs destructors after every atexit handler, so it comes after all of them, also
 * those that a constructor registered before it started the runtime early (as an atexit
 * handler it ran before those, and the statistics missed their work), and after the
 * program's other destructors. */
__attribute__((destructor(101))) static void stmc_fini(void)
{
    if (g_ready)
        stmc_exit_hook();
}
