/* runtime/segment.c - the segment layout: one reservation, the memfd-backed heaps, %gs, page
 * privatisation and segment ownership.
 *
 * Segment 0 maps the heap memfd MAP_SHARED: it is the committed state.  Segments 1..N map the
 * same memfd MAP_PRIVATE, so a page nobody wrote in a segment is the page of segment 0 (and
 * shows its updates live), and the first write copies it (copy-on-write by the kernel).
 * The dummy segment (N+1) is where the %gs of a thread that holds no segment points: its
 * header says RV=0, WV=0xFF, YIELD=1, so every barrier takes a slow path, which acquires a
 * real segment.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <immintrin.h>
#include <asm/prctl.h>

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif

char *g_resv;
size_t g_resv_size;
int g_nseg;
struct seg g_seg[MAX_SEGMENTS + 1];
char *g_dummy;
int g_memfd = -1;
uint64_t g_heap_size;
static bool g_have_fsgsbase;

static void map_fixed_at(void *addr, size_t len, int prot, int flags, int fd, off_t off,
                         const char *what)
{
    void *p = mmap(addr, len, prot, flags | MAP_FIXED | MAP_NORESERVE, fd, off);
    if (p == MAP_FAILED)
        stmc_fatal("cannot map %s (%zu MiB): %s", what, len >> 20, strerror(errno));
}

static void map_fixed(void *addr, size_t len, int prot, int flags, int fd, const char *what)
{
    map_fixed_at(addr, len, prot, flags, fd, 0, what);
}

/* Markers and the private-page bytes: of no use in a core dump ("core dumps" below). */
static void map_nodump(void *addr, size_t len, int prot, const char *what)
{
    map_fixed(addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, what);
    madvise(addr, len, MADV_DONTDUMP);
}

/* For debuggers ("the debugger's view" below). */
EXPORT unsigned long long _stm_debug[4];

/* ---- core dumps -------------------------------------------------------------------------------
 * The kernel dumps a shared mapping whole, and a private one whole once it has anonymous pages
 * (coredump_filter's defaults), reading the heap file's holes as zeros: segment 0's heap, the
 * heap of each segment a thread used and the debugger's view, STM_HEAP_MB each.  A trivial
 * program's abort wrote a core of 4.1 GB (6.1 GB with the view), 2 GiB more for each thread
 * that ran a block; gdb's gcore wrote 18 GB of the reservation's zeros in 60 s and was not
 * done.  Now the reservation, the markers, the private-page bytes and the allocator's and
 * STM_CONFLICTS's maps are MADV_DONTDUMP, the heap of a segment no thread has held is left
 * out, and of each other heap mapping only [STMC_HEAP_START, g_dump_end) is dumped: at least
 * twice what the heap has handed out and 4 MiB; the allocator moves it up as the heap grows
 * (seg_dump_grow), a few madvise calls a mapping in a run.  A trivial abort: 9.8 MB. */
static pthread_mutex_t g_dump_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t g_dump_end; /* (g_dump_lock; read without it by seg_dump_grow's test) */
#define DUMP_MIN (4ULL << 20)

/* zero: the flat address of heap offset 0 in the mapping (0 for the debugger's view) */
static void dump_advise(uintptr_t zero, uint64_t from, uint64_t to, int advice)
{
    if (to > from)
        madvise((void *)(zero + from), to - from, advice);
}

/* A heap mapping was just made, dumped whole: leave out what lies above g_dump_end, and all of
 * the heap of a segment no thread has held yet (g_seg_hi: gdb's gcore took a private mapping of
 * the heap file for anonymous memory and dumped each unused segment's part below g_dump_end,
 * 1.5 GB for 64 segments and a 10 MB heap).  idx -1: the view. */
static void dump_cut(uintptr_t zero, int idx)
{
    pthread_mutex_lock(&g_dump_lock);
    uint64_t from = idx > g_seg_hi ? STMC_HEAP_START : g_dump_end;
    dump_advise(zero, from, HEAP_LIMIT, MADV_DONTDUMP);
    pthread_mutex_unlock(&g_dump_lock);
}

/* (g_dump_lock) The heaps of segments first..last join the dump over [from, to). */
static void dump_segments(int first, int last, uint64_t from, uint64_t to)
{
    for (int i = first; i <= last; i++)
        dump_advise((uintptr_t)g_seg[i].base, from, to, MADV_DODUMP);
}

void seg_dump_grow(uint64_t top)
{
    if (top <= __atomic_load_n(&g_dump_end, __ATOMIC_RELAXED))
        return;
    pthread_mutex_lock(&g_dump_lock);
    uint64_t old = g_dump_end, end = STMC_HEAP_START + 2 * (top - STMC_HEAP_START);
    if (top > old) {
        end = end > HEAP_LIMIT ? HEAP_LIMIT : end;
        dump_segments(0, __atomic_load_n(&g_seg_hi, __ATOMIC_RELAXED), old, end);
        if (_stm_debug[STMC_DEBUG_VIEW])
            dump_advise(0, old, end, MADV_DODUMP);
        __atomic_store_n(&g_dump_end, end, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&g_dump_lock);
}

/* Segments first..last are held for the first time (seg_claim_locked, under the commit lock):
 * their heaps join the dump. */
static void dump_segments_used(int first, int last)
{
    pthread_mutex_lock(&g_dump_lock);
    dump_segments(first, last, STMC_HEAP_START, g_dump_end);
    pthread_mutex_unlock(&g_dump_lock);
}

static void map_heap(struct seg *s, bool shared)
{
    map_fixed(s->base + STMC_HEAP_START, HEAP_SIZE, PROT_READ | PROT_WRITE,
              shared ? MAP_SHARED : MAP_PRIVATE, g_memfd, "a segment's heap");
    dump_cut((uintptr_t)s->base, s->idx);
}

/* The heap file (segment 0's memory), HEAP_SIZE bytes of holes: at start-up, and a fork
 * child's copy. */
static int heap_file_create(void)
{
    int fd = (int)syscall(SYS_memfd_create, "stmc-heap", 1u /* MFD_CLOEXEC */);
    if (fd < 0)
        stmc_fatal("memfd_create failed: %s", strerror(errno));
    /* A file-size limit (ulimit -f) below the heap's size made ftruncate raise SIGXFSZ, which
     * killed the program at start-up without a word: ignored meanwhile, ftruncate says EFBIG
     * (also in a fork child, which makes its own heap file). */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    rt_sigaction(SIGXFSZ, &ign, &old);
    int r = ftruncate(fd, (off_t)HEAP_SIZE), e = errno;
    rt_sigaction(SIGXFSZ, &old, NULL);
    if (r != 0 && e == EFBIG)
        stmc_fatal("cannot size the heap file (%ld MiB): the file-size limit (ulimit -f) is "
                   "lower; lower STM_HEAP_MB or raise the limit", g_flags.HEAP_MB);
    if (r != 0)
        stmc_fatal("cannot size the heap file: %s", strerror(e));
    return fd;
}

/* ---- the debugger's view ------------------------------------------------------------------
 * A heap pointer is an offset in a segment, so a debugger that reads it as a plain address
 * ("print *node" in gdb) found nothing there ("Cannot access memory at address 0x40000020").
 * Segment 0's heap, the committed state, is therefore mapped a second time at the heap
 * pointers' own values, [STMC_HEAP_START, HEAP_LIMIT), and PROT_NONE: the program still faults
 * there (on_segv names the misuse as before), while ptrace reads any mapping its process may
 * read (FOLL_FORCE), so gdb prints the committed objects and follows their pointers.  Only
 * where that range is free (MAP_FIXED_NOREPLACE: ASan's shadow begins at 2 GiB; a program's
 * MAP_32BIT mappings or a large brk heap may be there), and by default (STM_GDB_VIEW=2) only
 * when a debugger started the program: the range is most of the low 4 GiB, where MAP_32BIT
 * and some JITs place their memory (under gdb too, then: STM_GDB_VIEW=0 there).  A thread's
 * own view, its transaction's writes included: tools/stmc-gdb.py's $stm(p), which _stm_debug
 * (above) and each segment's header index serve. */

/* The first bytes of a file of /proc, or "" (a small read: no stdio at start-up). */
static void read_proc(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);
    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = 0;
}

/* A debugger (gdb, lldb) started this process: /proc/self/status names a tracer at start-up
 * (gdb's child asks to be traced before it runs the program), and the tracer's name is one.
 * Not strace and other tracers: a program run under strace lost the MAP_32BIT range to the
 * view (a review). */
static bool debugger_started_us(void)
{
    char buf[2048], path[64];
    read_proc("/proc/self/status", buf, sizeof buf);
    const char *t = strstr(buf, "\nTracerPid:");
    long pid = t ? strtol(t + 12, NULL, 10) : 0;
    if (pid <= 0)
        return false;
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    read_proc(path, buf, sizeof buf);
    buf[strcspn(buf, "\n")] = 0;
    return !strcmp(buf, "gdb") || !strcmp(buf, "gdb-multiarch") || !strncmp(buf, "lldb", 4);
}

/* Maps the view; false where the range is taken. */
static bool map_gdb_view(void)
{
    void *want = (void *)(uintptr_t)STMC_HEAP_START;
    void *p = mmap(want, HEAP_SIZE, PROT_NONE, MAP_SHARED | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
                   g_memfd, 0);
    if (p == MAP_FAILED)
        return false;
    if (p != want) { /* a kernel before 4.17 took MAP_FIXED_NOREPLACE as a hint */
        munmap(p, HEAP_SIZE);
        return false;
    }
    dump_cut(0, -1);
    return true;
}

/* A fork child: the parts of the view that still map the parent's heap file (inode ino; the
 * program may have mapped its own memory over others, MAP_FIXED) map the child's instead.  A
 * remap of the whole range replaced such a mapping of the program's in the child. */
static void remap_gdb_view(unsigned long ino)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[4096];
    size_t have = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n <= 0)
            break;
        have += (size_t)n;
        buf[have] = 0;
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = 0;
            unsigned long lo, hi, off, inode;
            char perms[8];
            if (sscanf(line, "%lx-%lx %7s %lx %*s %lu", &lo, &hi, perms, &off, &inode) == 5 &&
                inode == ino && lo >= STMC_HEAP_START && hi <= HEAP_LIMIT &&
                off == lo - STMC_HEAP_START &&
                mmap((void *)lo, hi - lo, PROT_NONE, MAP_SHARED | MAP_NORESERVE | MAP_FIXED,
                     g_memfd, (off_t)off) != MAP_FAILED)
                dump_advise(0, lo > g_dump_end ? lo : g_dump_end, hi, MADV_DONTDUMP);
            line = nl + 1;
        }
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
    }
    close(fd);
}

static void gdb_view_setup(void)
{
    _stm_debug[STMC_DEBUG_SEG0] = (uintptr_t)g_resv;
    _stm_debug[STMC_DEBUG_NSEG] = (unsigned long long)g_nseg;
    long want = g_flags.GDB_VIEW;
    if (want == 1 || (want == 2 && debugger_started_us()))
        _stm_debug[STMC_DEBUG_VIEW] = map_gdb_view();
    _stm_debug[STMC_DEBUG_LAYOUT] = 1;
}

/* STM_SEGMENTS=0 (the default): two segments per CPU in this process's affinity mask, at least
 * 16 and at most 64.  A segment costs address space (8 GiB, reserved, not committed) and, once
 * used, its private page copies; an unused one costs nothing per commit (loops stop at
 * g_seg_hi), and start-up took the same time with 8 and 64 (3.6-5.3 ms a run of a trivial
 * program, RSS 1.8 -> 2.1 MB).  More threads than segments take turns, and each turn moves a
 * segment that holds another thread's page copies: a review's vacation port with 12 threads
 * on the 2-CPU VM ran 2.3-3.1 s with 8 segments (one per CPU, at least 8, before), 0.18-0.20 s
 * with 16. */
static int auto_segments(void)
{
    cpu_set_t set;
    long n = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    n *= 2;
    return n < 16 ? 16 : n > MAX_SEGMENTS ? MAX_SEGMENTS : (int)n;
}

void seg_setup(void)
{
    g_nseg = g_flags.SEGMENTS ? (int)g_flags.SEGMENTS : auto_segments();
    g_heap_size = (uint64_t)g_flags.HEAP_MB << 20;
    uint64_t mlen = (g_heap_size >> STMC_GRANULE_SHIFT) + STMC_PAGE_SIZE; /* marker bytes */
    uint64_t moff = STMC_HEAP_START >> STMC_GRANULE_SHIFT;                /* 64 MiB */
    g_have_fsgsbase = (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) != 0;
    g_resv_size = (size_t)(g_nseg + 2) * STMC_SEG_SIZE;
    void *r = mmap(NULL, g_resv_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED)
        stmc_fatal("cannot reserve %zu GiB of address space for %d segments: %s (lower STM_SEGMENTS)",
                   g_resv_size >> 30, g_nseg, strerror(errno));
    g_resv = r;
    madvise(r, g_resv_size, MADV_DONTDUMP); /* what is mapped over it is dumped again */
    g_memfd = heap_file_create();
    g_dump_end = STMC_HEAP_START + (DUMP_MIN < g_heap_size ? DUMP_MIN : g_heap_size);

    for (int i = 0; i <= g_nseg; i++) {
        struct seg *s = &g_seg[i];
        s->idx = i;
        s->base = g_resv + (size_t)i * STMC_SEG_SIZE;
        map_fixed(s->base + STMC_HDR_OFF, STMC_PAGE_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, "a segment header");
        s->hdr = (struct _stm_seg_hdr *)(s->base + STMC_HDR_OFF);
        s->hdr->rv = STMC_VERSION_INACTIVE_R;
        s->hdr->wv = STMC_VERSION_INACTIVE_W;
        s->hdr->base = (uint64_t)(uintptr_t)s->base;
        s->hdr->index = i;
        s->wset = &s->hdr->wset;
        map_heap(s, i == 0);
        if (i == 0)
            continue;
        map_nodump(s->base + moff, mlen, PROT_READ | PROT_WRITE, "read markers");
        map_nodump(s->base + STMC_WMARK_OFF + moff, mlen, PROT_READ | PROT_WRITE, "write markers");
        /* For the largest heap: the write fast path checks only that a page is below it. */
        map_nodump(s->base + STMC_PRIV_OFF, STMC_PRIV_PAGES, PROT_READ | PROT_WRITE,
                   "the private-page bytes");
        s->priv = (uint8_t *)s->base + STMC_PRIV_OFF;
        s->version = 0;
    }
    gdb_view_setup();
    /* The dummy segment. */
    g_dummy = g_resv + (size_t)(g_nseg + 1) * STMC_SEG_SIZE;
    map_fixed(g_dummy + STMC_HDR_OFF, STMC_PAGE_SIZE, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, "the dummy header");
    struct _stm_seg_hdr *dh = (struct _stm_seg_hdr *)(g_dummy + STMC_HDR_OFF);
    dh->rv = STMC_VERSION_INACTIVE_R;
    dh->wv = STMC_VERSION_INACTIVE_W;
    dh->yield = 1;
    dh->base = (uint64_t)(uintptr_t)g_dummy;
    dh->index = -1;
    mprotect(g_dummy + STMC_HDR_OFF, STMC_PAGE_SIZE, PROT_READ);
    map_nodump(g_dummy + STMC_WMARK_OFF + moff, mlen, PROT_READ, "the dummy write markers");
}

__attribute__((target("fsgsbase"))) static void wrgs(char *base)
{
    _writegsbase_u64((unsigned long long)(uintptr_t)base);
}

void set_gs(char *base)
{
    if (g_have_fsgsbase)
        wrgs(base);
    else if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)(uintptr_t)base) != 0)
        stmc_fatal("arch_prctl(ARCH_SET_GS) failed: %s", strerror(errno));
}

/* A write that changes nothing but makes the kernel copy the page into this mapping.  Not an
 * __atomic_fetch_or(p, 0): LLVM lowers an idempotent RMW to a fence and a load, which copies
 * nothing (measured). */
static inline void force_cow(char *p)
{
    __asm__ volatile("lock orb $0, %0" : "+m"(*(volatile char *)p) : : "memory");
}

static inline bool make_private(struct seg *s, uint64_t page)
{
    if (__atomic_load_n(&s->priv[page], __ATOMIC_ACQUIRE))
        return false;
    force_cow(s->base + STMC_HEAP_START + page * STMC_PAGE_SIZE);
    if (__atomic_exchange_n(&s->priv[page], 1, __ATOMIC_ACQ_REL) != 0)
        return false;
    __atomic_fetch_add(&s->priv_count, 1, __ATOMIC_RELAXED);
    return true;
}

void ensure_private(struct seg *s, uint64_t page)
{
    if (make_private(s, page))
        STAT(s, own_cow);
}

void force_private_other(struct seg *s, uint64_t page, struct seg *by)
{
    if (make_private(s, page))
        STAT(by, forced_cow);
}

void seg_reshare(struct seg *s)
{
    map_heap(s, false);
    madvise(s->priv, HEAP_PAGES, MADV_DONTNEED);
    __atomic_store_n(&s->priv_count, 0, __ATOMIC_RELAXED);
    STAT(s, reshares);
}

/* Clear the read and/or write markers of the heap in use: a small range with memset
 * (madvise would also shoot down TLBs on every CPU running this process), a large one with
 * MADV_DONTNEED. */
void seg_clear_markers(struct seg *s, bool reads, bool writes)
{
    uint64_t len = (alloc_heap_top() - STMC_HEAP_START) >> STMC_GRANULE_SHIFT;
    char *r = s->base + (STMC_HEAP_START >> STMC_GRANULE_SHIFT);
    char *w = r + STMC_WMARK_OFF;
    if (len <= (4ULL << 20)) {
        if (reads)
            memset(r, 0, len);
        if (writes)
            memset(w, 0, len);
    } else {
        len = (len + STMC_PAGE_SIZE - 1) & ~(STMC_PAGE_SIZE - 1);
        if (reads)
            madvise(r, len, MADV_DONTNEED);
        if (writes)
            madvise(w, len, MADV_DONTNEED);
    }
}

/* After 253 transactions (versions 2..254) the versions wrap (s runs no transaction).
 * Write markers: a stale one equal to a later version would skip a write barrier and lose
 * the write, so none may survive.  Every write marker set belongs to a granule of the write
 * set, and tx_finish clears those when the transaction ends (commit or abort), so the region
 * is already clear here unless a transaction ended with STM_NO_WMARK_CLEAR=1 (wmarks_dirty).
 * Read markers: a stale one only makes validation see a conflict that is not there (an
 * abort, never a wrong result), and only when another segment commits to that granule.  By
 * default they are left as they are (rmarks_stale); tx_abort clears them after a conflict
 * abort while they are stale, so each wrap costs at most one spurious abort, and never more
 * clearing than the eager reset (STM_NO_LAZY_RMARK=1: clear at every wrap). */
void seg_wrap_markers(struct seg *s)
{
    bool reads = g_flags.NO_LAZY_RMARK != 0;
    bool writes = s->wmarks_dirty != 0;
    if (reads || writes)
        seg_clear_markers(s, reads, writes);
    if (reads)
        s->rmarks_stale = 0;
    else {
        s->rmarks_stale = 1;
        STAT(s, rmark_wraps_lazy);
    }
    s->wmarks_dirty = 0;
    STAT(s, wraps);
}

int g_seg_hi;

void seg_claim_locked(struct seg *s)
{
    s->owned = 1;
    s->owner = pthread_self();
    if (s->idx > g_seg_hi) {
        /* Never held before: no private page, nothing to import; the log entry its
         * last_seen pointed to may be gone (trims skip segments above g_seg_hi). */
        int first = g_seg_hi + 1;
        for (int i = first; i <= s->idx; i++)
            set_last_seen(&g_seg[i], g_cs.tail);
        __atomic_store_n(&g_seg_hi, s->idx, __ATOMIC_RELAXED);
        dump_segments_used(first, s->idx);
    }
}

static uint64_t g_seg_tickets, g_seg_serving; /* (lock) segment waiters' tickets, and the turn */

static struct seg *try_take(struct seg *s)
{
    if (!s || s->owned)
        return NULL;
    seg_claim_locked(s);
    return s;
}

/* A waiter's turn, no segment free: one whose owner parked it (seg_park), in a call that waits
 * for other threads, which may be this one. */
static struct seg *try_take_parked(struct seg *s)
{
    uintptr_t who = __atomic_load_n(&s->parked, __ATOMIC_RELAXED);
    if (!who || !__atomic_compare_exchange_n(&s->parked, &who, 0, false, __ATOMIC_ACQUIRE,
                                             __ATOMIC_RELAXED))
        return NULL;
    seg_claim_locked(s);
    STAT(s, parked_taken);
    return s;
}

/* A thread that has waited a second for a segment: every segment is held by a thread in a long
 * transaction, or by one blocked where the runtime cannot see it (an OpenMP barrier or another
 * library's lock, waiting for this very thread; a block that became inevitable and waits).
 * The second kind hangs for good, silently: say so, once a process. */
/* Called at each round of a wait that began at *t0 (0: now): true once (*told) when it has
 * lasted 1 s; for the warnings about long waits. */
bool wait_first_second(uint64_t *t0, bool *told)
{
    uint64_t now = mono_ns();
    if (!*t0) {
        *t0 = now;
        return false;
    }
    if (*told || now - *t0 < 1000000000u)
        return false;
    *told = true;
    return true;
}

static void seg_wait_long(uint64_t *t0)
{
    static bool told;
    if (!wait_first_second(t0, &told))
        return;
    stmc_warn("a thread has waited 1 s for a segment: all %d are held by other threads (in "
              "long transactions, or blocked where they cannot give theirs back: in another "
              "library's barrier or lock, such as an OpenMP team larger than the segments); "
              "threads that use the heap at once need a segment each: raise STM_SEGMENTS (at "
              "most 64)", g_nseg);
}

struct seg *seg_acquire(void)
{
    if (UNLIKELY(!g_ready)) /* a constructor that ran before the runtime's */
        stmc_init_early();
    struct seg *s = seg_unpark();
    if (s)
        return s;
    lock();
    bool waited = false;
    unsigned round = 0;
    uint64_t t0 = 0, ticket = 0;
    for (;;) {
        /* Waiters take free segments in the order they came (a ticket each): a thread that
         * had let its segment go because one waited took it back at its next heap access,
         * while the waiter slept in wait_locked, and with STM_SEGMENTS=1 two threads taking
         * turns through the heap outside blocks hung (the third review).  A thread comes in
         * without a ticket only while nobody waits. */
        if (waited ? ticket == g_seg_serving : g_seg_waiters == 0) {
            s = try_take(t_ts.last);
            /* a thread started by segment 1's owner, while that is the only one ever held:
             * its creator parked it for it (park_for_new_thread in thread.c) */
            if (!s && create_park_due())
                s = try_take_parked(&g_seg[1]);
            for (int i = 1; !s && i <= g_nseg; i++)
                s = try_take(&g_seg[i]);
            for (int i = 1; !s && i <= g_seg_hi; i++)
                s = try_take_parked(&g_seg[i]);
            if (s)
                break;
        }
        if (!waited) {
            waited = true;
            ticket = g_seg_tickets++;
            g_seg_waiters++;
        }
        for (int i = 1; i <= g_nseg; i++)
            __atomic_store_n(&g_seg[i].hdr->yield, 1, __ATOMIC_RELAXED);
        wait_locked(&round);
        if (round > 256 && (round & 255) == 0) /* sleeping rounds of 50 us: ~every 13 ms */
            seg_wait_long(&t0);
    }
    if (waited) {
        g_seg_waiters--;
        g_seg_serving++;
        STAT(s, segment_waits);
    }
    unlock();
    t_ts.seg = s;
    t_ts.last = s;
    t_ts.seg_since = mono_ns();
    set_gs(s->base);
    return s;
}

/* Before a call that waits for other threads (_stm_external_wait), with no transaction
 * running: the thread keeps its segment, but a thread that waits for one may take it
 * (try_take_parked) while this one waits; it takes it back at its next heap access
 * (seg_unpark), or another one if it was taken.  Giving it back outright at each such call
 * (seg_release: the lock, twice) cost 130 ns an `omp critical` at one thread, and 70x the time
 * of a critical section holding a block at two, where nobody waited for a segment. */
void seg_park(void)
{
    struct seg *s = t_ts.seg;
    if (!s)
        return;
    tx_quiesce(s);
    alloc_warm_fold(s);
    t_ts.seg = NULL;
    t_ts.parked = s;
    set_gs(g_dummy);
    __atomic_store_n(&s->parked, (uintptr_t)&t_ts, __ATOMIC_RELEASE);
}

/* The segment this thread parked, if no waiter took it (t_ts's address tells this thread's
 * parking from a later one by the thread that took it): held again, or NULL. */
struct seg *seg_unpark(void)
{
    struct seg *s = t_ts.parked;
    if (!s)
        return NULL;
    t_ts.parked = NULL;
    uintptr_t me = (uintptr_t)&t_ts;
    if (!__atomic_compare_exchange_n(&s->parked, &me, 0, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return NULL;
    t_ts.seg = s;
    set_gs(s->base);
    return s;
}

void seg_release(void)
{
    struct seg *s = t_ts.seg;
    if (!s)
        return;
    tx_quiesce(s);
    alloc_warm_fold(s);
    /* The time counts from the last release after the segment ran something: a thread that
     * waits in a loop of timed condition waits takes its segment again at each wake-up
     * (segment_around) and gives it back, without a transaction, and its segment would
     * otherwise always look just released and pin the log (a review: 700 MB).  The mark
     * moves with a marked start (the version) or an import (the log position). */
    uint64_t mark = (__atomic_load_n(&s->last_seen_seq, __ATOMIC_RELAXED) << 8) | s->version;
    uint64_t now = g_flags.UNHELD_RESET_US && mark != s->released_mark ? mono_ns() : 0;
    lock();
    s->owned = 0;
    if (now) {
        s->released_ns = now;
        s->released_mark = mark;
    }
    unlock();
    t_ts.seg = NULL;
    set_gs(g_dummy);
}

/* ---- fork() ---------------------------------------------------------------------------------
 * Segment 0 maps the heap file MAP_SHARED and the other segments map it MAP_PRIVATE, so after a
 * plain fork the child would share the parent's committed heap: its commits would change the
 * parent's memory behind its back, and the parent's commits would show through the child's
 * unwritten pages.  So the child makes the heap its own: it copies the file (the parts that
 * hold data), maps segment 0 on the copy, maps the calling thread's segment on it where it has
 * no private page (its private pages are the child's already: the kernel copies them on
 * write), and resets every other segment, whose thread does not exist in the child.  The
 * parent holds g_lock and the allocator's lock from before the fork until the child has copied
 * the file (it waits on a pipe), so the copy is a committed state and the child's lock words are
 * free.  The calling thread keeps its transaction, if it runs one (fork inside an atomic block
 * made it inevitable).  posix_spawn, system and popen run no fork handlers: they exec at once. */
static int g_fork_pipe[2] = {-1, -1};

/* The pipe's I/O through the system calls themselves: read, write and close are cancellation
 * points, and a deferred cancel pending in the forking thread acted in fork_parent (fork is
 * none): the thread died holding the commit lock and the allocator's lock. */
static void pipe_close(int fd) { syscall(SYS_close, fd); }

/* The forking thread's cancelability, restored on both sides after the fork: a deferred
 * cancel pending in it must not act inside the runtime's fork handling (the child's heap copy
 * calls copy_file_range, pread, pwrite and close, cancellation points: the child died holding
 * the locks, and the parent waited for it for ever).  Written under g_lock. */
static int g_fork_cancel_state;

static void fork_prepare(void)
{
    if (!t_ts.seg) /* the forking thread's parked segment is its own again: the child keeps it */
        seg_unpark();
    int state;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &state);
    lock(); /* first: two threads that fork at once use the pipe in turn */
    g_fork_cancel_state = state; /* under the lock (another forking thread's was overwritten) */
    alloc_fork_lock();
    conflicts_fork_lock();
    if (pipe2(g_fork_pipe, O_CLOEXEC) != 0)
        stmc_fatal("fork: cannot create a pipe: %s", strerror(errno));
}

static void fork_parent(void)
{
    pipe_close(g_fork_pipe[1]);
    char c;
    while (syscall(SYS_read, g_fork_pipe[0], &c, 1) < 0 && errno == EINTR) {
        /* the child has not finished its copy yet */
    }
    pipe_close(g_fork_pipe[0]);
    conflicts_fork_unlock();
    alloc_fork_unlock();
    int state = g_fork_cancel_state;
    unlock();
    pthread_setcancelstate(state, NULL);
}

/* Copy the parts of the heap file that hold data (the rest are holes and stay holes). */
static void copy_heap_file(int from, int to)
{
    static char buf[1 << 16];
    off_t end = (off_t)HEAP_SIZE, pos = 0;
    while (pos < end) {
        off_t data = lseek(from, pos, SEEK_DATA);
        if (data < 0)
            break; /* ENXIO: no data after pos */
        off_t hole = lseek(from, data, SEEK_HOLE);
        if (hole < 0 || hole > end)
            hole = end;
        for (off_t o = data; o < hole;) {
            /* in the kernel where it can (tmpfs to tmpfs), else through buf */
            off_t in = o, out = o;
            ssize_t r = copy_file_range(from, &in, to, &out, (size_t)(hole - o), 0);
            if (r <= 0) {
                size_t n = (size_t)(hole - o) < sizeof buf ? (size_t)(hole - o) : sizeof buf;
                r = pread(from, buf, n, o);
                if (r <= 0 || pwrite(to, buf, (size_t)r, o) != r)
                    stmc_fatal("fork: cannot copy the heap for the child: %s", strerror(errno));
            }
            o += r;
        }
        pos = hole;
    }
}

/* s's thread does not exist in the child: its transaction, if any, is dropped (tx_forget),
 * and s becomes a free segment with no private page, at the log's tail. */
static void fork_reset_segment(struct seg *s)
{
    tx_forget(s);
    seg_reshare(s); /* on the child's file now */
    seg_clear_markers(s, true, true);
    s->hdr->yield = 0;
    s->snap = s->reset_pending = s->owned = 0;
    s->parked = 0;
    s->rmarks_stale = s->wmarks_dirty = 0;
    s->log_spare = NULL; /* (leaked) */
    s->log_mapped = NULL; /* (leaked: its thread may have been between two of its stores) */
    s->log_mapped_bytes = 0;
    set_last_seen(s, g_cs.tail);
    s->start_seq = g_cs.tail->seq;
}

pid_t g_pid;

static void fork_child(void)
{
    g_pid = getpid();
    /* (a thread of the parent's may have held it; its g_dump_end is the old or the new one,
     * and every heap mapping below is cut again by it) */
    g_dump_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    pipe_close(g_fork_pipe[0]);
    int fd = heap_file_create();
    copy_heap_file(g_memfd, fd);
    struct stat old;
    bool view = _stm_debug[STMC_DEBUG_VIEW] && fstat(g_memfd, &old) == 0;
    close(g_memfd);
    g_memfd = fd;
    map_heap(&g_seg[0], true);
    if (view)
        remap_gdb_view((unsigned long)old.st_ino);
    struct seg *mine = t_ts.seg;
    for (int i = 1; i <= g_nseg; i++) {
        struct seg *s = &g_seg[i];
        if (s != mine) {
            fork_reset_segment(s);
            continue;
        }
        /* Its private pages stay; the others now map the child's file. */
        for (uint64_t p = 0, n = HEAP_PAGES; p < n;) {
            if (s->priv[p]) {
                p++;
                continue;
            }
            uint64_t q = p;
            while (q < n && !s->priv[q])
                q++;
            map_fixed_at(s->base + STMC_HEAP_START + p * STMC_PAGE_SIZE,
                         (q - p) * STMC_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
                         (off_t)(p * STMC_PAGE_SIZE), "a segment's heap");
            p = q;
        }
        dump_cut((uintptr_t)s->base, s->idx);
    }
    thread_fork_child();
    g_seg_waiters = 0;
    g_seg_serving = g_seg_tickets; /* (the waiters' threads do not exist here) */
    g_commit_waiters = 0;
    g_token_waiters = 0;
    if (syscall(SYS_write, g_fork_pipe[1], "", 1) < 0) {
        /* the parent also goes on when the pipe closes */
    }
    pipe_close(g_fork_pipe[1]);
    alloc_fork_child();
    conflicts_fork_unlock();
    alloc_fork_unlock();
    unlock();
    pthread_setcancelstate(g_fork_cancel_state, NULL);
}

void seg_fork_setup(void)
{
    g_pid = getpid();
    if (pthread_atfork(fork_prepare, fork_parent, fork_child) != 0)
        stmc_fatal("pthread_atfork failed");
}
