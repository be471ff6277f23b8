/* runtime/thread.c - threads: every thread starts attached to the dummy segment (so its first
 * barrier acquires a real segment) and gives its segment back when it exits.
 *
 * pthread_create and C11's thrd_create, the joins and the waits of POSIX and C11
 * synchronisation (barriers, condition variables, semaphores; their timed and clock variants),
 * exit and quick_exit are interposed: libstmc defines them and calls libc's with
 * dlsym(RTLD_NEXT).  Both are calls out of stmc-compiled code, so they end the caller's
 * implicit transaction first (a thread that joins while holding the inevitable token would
 * deadlock with a child that needs it).
 */
#include "internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <threads.h>
#include <mqueue.h>
#include <time.h>
#include <ucontext.h>

STMC_TLS struct thread_state t_ts;

static pthread_key_t g_key;

/* libc's function of that name (dlsym(RTLD_NEXT)), found once into *cache. */
static void *libc_fn(void **cache, const char *name)
{
    if (!*cache) {
        *cache = dlsym(RTLD_NEXT, name);
        if (!*cache)
            stmc_fatal("cannot find libc's %s", name);
    }
    return *cache;
}

/* The key's destructor, at thread exit.  Other keys' destructors may run after it and touch
 * the heap (taking a segment, maybe the thread's first): it sets its key anew each time, so
 * that the next round of destructors (glibc runs PTHREAD_DESTRUCTOR_ITERATIONS = 4 while
 * values remain) calls it again to give that segment back.  Before, such a thread kept the
 * segment it took, and with every segment held by exited threads the program hung. */
static void detach_thread(void *unused)
{
    (void)unused;
    pthread_setspecific(g_key, (void *)1); /* again in the next round (at most 4 in all) */
    struct seg *s = t_ts.seg ? t_ts.seg : seg_unpark(); /* (a parked one goes back too) */
    if (!s)
        return;
    if (s->atomic_depth > 0)
        stmc_fatal("a thread exited inside an atomic block (segment %d)", s->idx);
    tx_end_implicit(s);
    seg_release();
}

static void attach(void)
{
    t_ts.attached = 1;
    set_gs(g_dummy);
    pthread_setspecific(g_key, (void *)1);
}

static void resolve_jumps(void);
static void check_sanitizer_runtime(void);

void thread_attach_main(void)
{
    if (pthread_key_create(&g_key, detach_thread) != 0)
        stmc_fatal("pthread_key_create failed");
    check_sanitizer_runtime();
    resolve_jumps();
    attach();
}

struct start {
    void *(*fn)(void *); /* pthread_create's */
    int (*fn11)(void *); /* thrd_create's */
    void *arg;
};

static struct start *start_new(void *(*fn)(void *), int (*fn11)(void *), void *arg)
{
    struct start *st = rt_malloc(sizeof *st);
    if (st) {
        st->fn = fn;
        st->fn11 = fn11;
        st->arg = arg;
    }
    return st;
}

static void *trampoline(void *p)
{
    struct start st = *(struct start *)p;
    rt_free(p);
    attach();
    return st.fn(st.arg);
}

static int trampoline11(void *p)
{
    struct start st = *(struct start *)p;
    rt_free(p);
    attach();
    return st.fn11(st.arg);
}

static void leave_stm(void)
{
    struct seg *s = t_ts.seg;
    /* In a signal handler the interrupted code's transaction is left alone (it may be a commit
     * holding the lock: ending or upgrading it from here hung, or aborted out of the handler). */
    if (!s || s->in_abort_cb || in_signal_handler())
        return;
    if (s->atomic_depth > 0)
        tx_become_inevitable(s);
    else
        tx_end_implicit(s);
}

/* Before a thread is started, while segment 1 is the only one ever held (its short commits
 * unlogged: tx.c, commit_short): the creator parks its segment, so that the new thread takes
 * it at its first heap access (seg_acquire) unless the creator has used the heap again by
 * then (seg_unpark).  A program that allocates, starts one worker and joins it kept the
 * unlogged commits only when the worker's first heap access came after the creator had
 * given its segment back in pthread_join: 2 runs of 12 in a user's port lost them (and took
 * 1.2-1.3x the time).  STM_NO_CREATE_PARK=1: the creator keeps its segment. */
static void park_for_new_thread(void)
{
    struct seg *s = t_ts.seg;
    if (!s || s->atomic_depth > 0 || in_signal_handler() || !create_park_due())
        return;
    STAT(s, create_parks);
    seg_park();
}

EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static void *real;
    int (*real_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) =
        (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))libc_fn(
            &real, "pthread_create");
    if (!g_ready)
        return real_create(t, attr, fn, arg);
    leave_stm();
    park_for_new_thread();
    struct start *st = start_new(fn, NULL, arg);
    if (!st)
        return 11; /* EAGAIN */
    int rc = real_create(t, attr, trampoline, st);
    if (rc)
        rt_free(st);
    return rc;
}

/* C11 threads: glibc's thrd_create calls its internal pthread_create, not the one above, so it
 * is interposed too.  Before, such a thread kept the %gs of its creator (the kernel copies it):
 * it read the creator's uncommitted writes through the creator's segment, and it was never
 * detached at exit (a program hung after a few such threads). */
EXPORT int thrd_create(thrd_t *t, thrd_start_t fn, void *arg)
{
    static void *real;
    int (*real_create)(thrd_t *, thrd_start_t, void *) =
        (int (*)(thrd_t *, thrd_start_t, void *))libc_fn(&real, "thrd_create");
    if (!g_ready)
        return real_create(t, fn, arg);
    leave_stm();
    park_for_new_thread();
    struct start *st = start_new(NULL, fn, arg);
    if (!st)
        return thrd_nomem;
    int rc = real_create(t, trampoline11, st);
    if (rc != thrd_success)
        rt_free(st);
    return rc;
}

/* SIGEV_THREAD notifications (timer_create, mq_notify): glibc runs the function in threads it
 * starts with its internal pthread_create, not the one above, so such a thread kept the %gs of
 * the thread that set the notification up: its heap accesses ran the barriers against that
 * thread's segment (it read that thread's uncommitted writes, and the inline write barrier
 * appended to that thread's write set: a lost increment in one run of three).  The function is
 * wrapped so that its thread attaches first: the dummy segment, a segment of its own at its
 * first heap access, given back at its exit.  A timer's wrapper is never freed (a notification
 * may be under way when the timer is deleted): 32 bytes a SIGEV_THREAD timer.  An mq_notify
 * registration fires once, and its wrapper is freed after the call. */
struct sigev_thunk {
    void (*fn)(union sigval);
    union sigval value;
    bool once; /* mq_notify's: free after the call */
};

static void sigev_trampoline(union sigval v)
{
    struct sigev_thunk *k = v.sival_ptr, copy = *k;
    if (copy.once)
        rt_free(k);
    if (!t_ts.attached)
        attach();
    copy.fn(copy.value);
}

/* *out: *in with its function wrapped (1; *k the wrapper), or nothing to wrap (0), or no
 * memory for the wrapper (-1, errno ENOMEM). */
static int sigev_wrap(const struct sigevent *in, struct sigevent *out, bool once,
                      struct sigev_thunk **k)
{
    if (!g_ready || !in || in->sigev_notify != SIGEV_THREAD)
        return 0;
    *k = rt_malloc(sizeof **k);
    if (!*k) {
        errno = ENOMEM;
        return -1;
    }
    **k = (struct sigev_thunk){in->sigev_notify_function, in->sigev_value, once};
    *out = *in;
    out->sigev_notify_function = sigev_trampoline;
    out->sigev_value.sival_ptr = *k;
    return 1;
}

EXPORT int timer_create(clockid_t clock, struct sigevent *sev, timer_t *timer)
{
    static void *real;
    int (*fn)(clockid_t, struct sigevent *, timer_t *) =
        (int (*)(clockid_t, struct sigevent *, timer_t *))libc_fn(&real, "timer_create");
    struct sigevent wrapped;
    struct sigev_thunk *k;
    int w = sigev_wrap(sev, &wrapped, false, &k);
    if (w <= 0)
        return w < 0 ? -1 : fn(clock, sev, timer);
    int rc = fn(clock, &wrapped, timer);
    if (rc != 0)
        rt_free(k);
    return rc;
}

EXPORT int mq_notify(mqd_t mq, const struct sigevent *sev)
{
    static void *real;
    int (*fn)(mqd_t, const struct sigevent *) =
        (int (*)(mqd_t, const struct sigevent *))libc_fn(&real, "mq_notify");
    struct sigevent wrapped;
    struct sigev_thunk *k;
    int w = sigev_wrap(sev, &wrapped, true, &k);
    if (w <= 0)
        return w < 0 ? -1 : fn(mq, sev);
    int rc = fn(mq, &wrapped);
    if (rc != 0)
        rt_free(k);
    return rc;
}

/* Before a call that may block until another thread acts: end the implicit transaction (or
 * make the atomic block inevitable) and, outside atomic blocks, give the segment back, so that
 * the thread this one waits for never waits for its segment (with more threads than segments,
 * two threads blocked in pthread_barrier_wait held both segments while the third, which the
 * barrier waited for, waited for a segment: a hang).  The segment is taken again, the same one
 * if it is still free, at the next heap access. */
static bool before_blocking(void)
{
    if (!g_ready || in_signal_handler())
        return false;
    leave_stm();
    if (t_ts.seg && t_ts.seg->atomic_depth == 0) {
        seg_release();
        return true;
    }
    return false;
}

/* After a condition wait that gave the segment back: the wait returned holding the user's
 * mutex m, and taking a segment while holding it could wait for ever on threads that hold the
 * segments and wait for m.  So m is let go while the segment is taken (a spurious wakeup, as
 * POSIX allows: callers test their condition again). */
static void segment_around(pthread_mutex_t *m)
{
    pthread_mutex_unlock(m);
    (void)cur_seg();
    pthread_mutex_lock(m);
}

/* The interposed waits: libc's function, called after before_blocking(); the condition waits
 * then take the segment again with their mutex let go (segment_around).  glibc's mtx_t is a
 * pthread_mutex_t (mtx_lock is pthread_mutex_lock), as its cnd_wait assumes too. */
#define BLOCKING(name, ret, params, args)                                                      \
    EXPORT ret name params                                                                     \
    {                                                                                          \
        static void *real;                                                                     \
        ret(*fn) params = (ret(*) params)libc_fn(&real, #name);                                \
        before_blocking();                                                                     \
        return fn args;                                                                        \
    }
#define COND_WAIT(name, ret, params, args, mutex)                                              \
    EXPORT ret name params                                                                     \
    {                                                                                          \
        static void *real;                                                                     \
        ret(*fn) params = (ret(*) params)libc_fn(&real, #name);                                \
        bool released = before_blocking();                                                     \
        ret rc = fn args;                                                                      \
        if (released)                                                                          \
            segment_around((pthread_mutex_t *)(mutex));                                        \
        return rc;                                                                             \
    }

BLOCKING(pthread_join, int, (pthread_t t, void **r), (t, r))
BLOCKING(pthread_timedjoin_np, int, (pthread_t t, void **r, const struct timespec *at), (t, r, at))
BLOCKING(pthread_clockjoin_np, int, (pthread_t t, void **r, clockid_t c, const struct timespec *at),
         (t, r, c, at))
BLOCKING(thrd_join, int, (thrd_t t, int *r), (t, r))
/* Not pthread_mutex_lock (nor mtx_lock): the runtime's allocator uses it under the commit
 * lock; api.md's STM_SEGMENTS row states the hazard. */
BLOCKING(pthread_barrier_wait, int, (pthread_barrier_t *b), (b))
BLOCKING(sem_wait, int, (sem_t *sem), (sem))
BLOCKING(sem_timedwait, int, (sem_t *sem, const struct timespec *at), (sem, at))
BLOCKING(sem_clockwait, int, (sem_t *sem, clockid_t c, const struct timespec *at), (sem, c, at))
COND_WAIT(pthread_cond_wait, int, (pthread_cond_t *cv, pthread_mutex_t *m), (cv, m), m)
COND_WAIT(pthread_cond_timedwait, int,
          (pthread_cond_t *cv, pthread_mutex_t *m, const struct timespec *at), (cv, m, at), m)
COND_WAIT(pthread_cond_clockwait, int,
          (pthread_cond_t *cv, pthread_mutex_t *m, clockid_t c, const struct timespec *at),
          (cv, m, c, at), m)
COND_WAIT(cnd_wait, int, (cnd_t *cv, mtx_t *m), (cv, m), m)
COND_WAIT(cnd_timedwait, int, (cnd_t *cv, mtx_t *m, const struct timespec *at), (cv, m, at), m)

/* exit() and quick_exit() inside an atomic block (the plugin made the block inevitable before
 * the call, as before any C library call): the block commits first, so that the exit handlers
 * and the threads still running see what it wrote, and the handlers run outside any block.
 * Before, the handlers ran inside the uncommitted transaction (stm_in_atomic() was 1 there)
 * and the block's writes were never published. */
static void commit_block_before_exit(void)
{
    struct seg *s = t_ts.seg;
    /* exit or quick_exit (C11 allows it) in a signal handler: the interrupted block or commit
     * stays as it is, uncommitted (making it inevitable from the handler aborted out of the
     * handler, losing the exit, or spun on the lock the interrupted commit held). */
    if (!s || s->atomic_depth == 0 || in_signal_handler())
        return;
    if (s->in_abort_cb) { /* between two attempts: nothing to commit, the block is over */
        tx_abandon_block(s);
        return;
    }
    tx_check_frame(s);       /* a block left by longjmp is reported, not committed */
    tx_become_inevitable(s); /* may abort: then the block runs again, and calls exit again */
    tx_commit(s);            /* inevitable: cannot abort; runs the on-commit callbacks */
}

EXPORT void exit(int status)
{
    static void *real;
    void (*fn)(int) = (void (*)(int))libc_fn(&real, "exit");
    commit_block_before_exit();
    fn(status);
    __builtin_unreachable();
}

EXPORT void quick_exit(int status)
{
    static void *real;
    void (*fn)(int) = (void (*)(int))libc_fn(&real, "quick_exit");
    commit_block_before_exit();
    fn(status);
    __builtin_unreachable();
}

/* ---- the program's signal handlers ---------------------------------------------------------
 * A handler interrupts its thread anywhere: in the runtime (a commit holding the lock), or in
 * program code between a barrier and its store.  An atomic operation in a handler (a tick
 * counter: legal C) calls _stm_sync, which must then leave the interrupted code's implicit
 * transaction alone: ending it there hung the thread on its own lock or published a write
 * set whose last store came after the commit.  So sigaction, signal and its relatives are
 * interposed: the program's handlers run through sig_trampoline, which counts them in
 * t_ts.in_signal (the safe point and the external-call entry check it too), and the jumps out
 * of handlers are interposed to count them down.  A handler must not touch the STM heap
 * itself (api.md). */
static void *g_user_handler[_NSIG]; /* the program's handler of each signal (atomic) */
static int g_user_siginfo[_NSIG];   /* ... and whether it takes siginfo (SA_SIGINFO; atomic) */

#define SIG_FRAMES ((int)(sizeof t_ts.sig_frames / sizeof *t_ts.sig_frames))

static void sig_trampoline(int sig, siginfo_t *info, void *uc)
{
    void *h = __atomic_load_n(&g_user_handler[sig], __ATOMIC_ACQUIRE);
    int d = t_ts.in_signal;
    t_ts.in_signal = d + 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* the count before the frame: a handler nested
                                              * here takes the next slot */
    if (d < SIG_FRAMES) {
        /* The alternate stack as the kernel saved it at delivery (before SS_AUTODISARM
         * disarms it): the handler runs on it when its frame lies inside. */
        struct sig_frame *f = &t_ts.sig_frames[d];
        const stack_t *ss = uc ? &((const ucontext_t *)uc)->uc_stack : NULL;
        f->frame = __builtin_frame_address(0);
        f->alt_lo = f->alt_hi = NULL;
        if (ss && ss->ss_size && f->frame >= (char *)ss->ss_sp &&
            f->frame < (char *)ss->ss_sp + ss->ss_size) {
            f->alt_lo = ss->ss_sp;
            f->alt_hi = (char *)ss->ss_sp + ss->ss_size;
        }
    }
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&g_user_siginfo[sig], __ATOMIC_RELAXED))
        ((void (*)(int, siginfo_t *, void *))h)(sig, info, uc);
    else if (h)
        ((void (*)(int))h)(sig);
    t_ts.in_signal = d;
}

/* A handler left by a jump (siglongjmp out of a SIGSEGV or timeout handler is common): the
 * handlers whose trampolines' frames the jump abandons are over: a frame below the target on
 * the same stack, or on an alternate signal stack the target is not on (an alternate stack
 * from mmap lies above a thread's stack).  Without this the count stayed up for good and the
 * thread's atomics no longer ended its implicit transactions.  The target's rsp is in the
 * jmp_buf, mangled as glibc does on x86-64 (rol 0x11 after xor with the pointer guard at
 * %fs:0x30). */
static bool frame_abandoned(const struct sig_frame *f, uintptr_t sp)
{
    if (f->alt_lo && (sp < (uintptr_t)f->alt_lo || sp >= (uintptr_t)f->alt_hi))
        return true;
    return (uintptr_t)f->frame < sp;
}

static void handlers_left_by_jump(const void *env)
{
    uintptr_t v = ((const uintptr_t *)env)[6], guard; /* JB_RSP */
    __asm__("mov %%fs:0x30, %0" : "=r"(guard));
    uintptr_t sp = ((v >> 0x11) | (v << (64 - 0x11))) ^ guard;
    int d = t_ts.in_signal;
    while (d > 0 && (d > SIG_FRAMES || frame_abandoned(&t_ts.sig_frames[d - 1], sp)))
        d--;
    t_ts.in_signal = d;
}

/* Their libc functions are looked up at start-up (thread_attach_main): dlsym is not
 * async-signal-safe, and these run in handlers. */
#define JUMP(name)                                                                             \
    static void *real_##name;                                                                  \
    EXPORT __attribute__((noreturn)) void name(struct __jmp_buf_tag *env, int val)             \
    {                                                                                          \
        void (*fn)(struct __jmp_buf_tag *, int) =                                              \
            (void (*)(struct __jmp_buf_tag *, int))libc_fn(&real_##name, #name);               \
        if (t_ts.in_signal)                                                                    \
            handlers_left_by_jump(env);                                                        \
        fn(env, val);                                                                          \
        __builtin_unreachable();                                                               \
    }
void __longjmp_chk(struct __jmp_buf_tag env[1], int val) __attribute__((noreturn));
JUMP(longjmp)
JUMP(_longjmp)
/* POSIX's names, weak: a strict-C program may define its own (sigset_t sigset;). */
extern __typeof__(siglongjmp) siglongjmp __attribute__((weak));
JUMP(siglongjmp)
JUMP(__longjmp_chk)

static void resolve_jumps(void)
{
    (void)libc_fn(&real_longjmp, "longjmp");
    (void)libc_fn(&real__longjmp, "_longjmp");
    (void)libc_fn(&real_siglongjmp, "siglongjmp");
    (void)libc_fn(&real___longjmp_chk, "__longjmp_chk");
}

int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    static void *real;
    int (*fn)(int, const struct sigaction *, struct sigaction *) =
        (int (*)(int, const struct sigaction *, struct sigaction *))libc_fn(&real, "sigaction");
    return fn(sig, act, old);
}

/* The record of a signal's handler and the kernel's action change together: under a lock,
 * taken with every signal blocked (a handler calling sigaction cannot deadlock on it).
 * Concurrent calls mixed one call's handler with the other's flags. */
static int g_sig_lock;

static int sig_update(int sig, const struct sigaction *act, struct sigaction *old)
{
    void *prev = __atomic_load_n(&g_user_handler[sig], __ATOMIC_RELAXED);
    int prev_info = __atomic_load_n(&g_user_siginfo[sig], __ATOMIC_RELAXED);
    int rc;
    bool info = act && (act->sa_flags & SA_SIGINFO);
    void *h = !act ? NULL : info ? (void *)act->sa_sigaction : (void *)act->sa_handler;
    if (h == (void *)sig_trampoline) { /* given back what a query of libc returned */
        h = prev;
        info = prev_info;
    }
    if (sig == SIGSEGV && segv_view(act, old)) {
        /* the runtime's own diagnostics are installed: old is what they pass faults on to,
         * which a handler installed before the runtime's may be (through the trampoline) */
        rc = 0;
    } else if (act && h != (void *)SIG_DFL && h != (void *)SIG_IGN) {
        __atomic_store_n(&g_user_siginfo[sig], info, __ATOMIC_RELAXED);
        __atomic_store_n(&g_user_handler[sig], h, __ATOMIC_RELEASE);
        struct sigaction k = *act;
        k.sa_flags |= SA_SIGINFO;
        k.sa_sigaction = sig_trampoline;
        rc = rt_sigaction(sig, &k, old);
    } else {
        rc = rt_sigaction(sig, act, old);
    }
    if (rc == 0 && old && old->sa_sigaction == sig_trampoline) {
        /* report the program's own handler, not the trampoline */
        if (prev_info) {
            old->sa_sigaction = (void (*)(int, siginfo_t *, void *))prev;
        } else {
            old->sa_flags &= ~SA_SIGINFO;
            old->sa_handler = (void (*)(int))prev;
        }
    } else if (rc == 0 && old && !prev_info &&
               (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN)) {
        /* SA_RESETHAND reset the trampoline to SIG_DFL and kept its SA_SIGINFO: a chaining
         * handler would call the null sa_sigaction */
        old->sa_flags &= ~SA_SIGINFO;
    }
    return rc;
}

void thread_fork_child(void)
{
    __atomic_store_n(&g_sig_lock, 0, __ATOMIC_RELAXED); /* its holder is not in the child */
}

/* The interposed functions call this, not the weak sigaction symbol, which a strict-C
 * program may have defined for itself. */
static int sig_action(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (sig <= 0 || sig >= _NSIG)
        return rt_sigaction(sig, act, old); /* libc says EINVAL */
    sigset_t all, was;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &was);
    while (__atomic_exchange_n(&g_sig_lock, 1, __ATOMIC_ACQUIRE))
        sched_yield();
    int rc = sig_update(sig, act, old);
    __atomic_store_n(&g_sig_lock, 0, __ATOMIC_RELEASE);
    pthread_sigmask(SIG_SETMASK, &was, NULL);
    return rc;
}

static int stmc_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    return sig_action(sig, act, old);
}
EXPORT __attribute__((weak, alias("stmc_sigaction"))) __typeof__(stmc_sigaction) sigaction;

/* The runtimes of the sanitizers that cannot run stmc programs (docs/api.md, "Sanitizers"):
 * stmcc and the plugin refuse them; a program linked by hand (or through a response file that
 * stmcc read differently from clang) gets here. */
#define REFUSED_SANITIZERS(X)                                                                  \
    X(__tsan_init, "thread") X(__msan_init, "memory") X(__hwasan_init, "hwaddress")            \
    X(__nsan_init, "numerical") X(__tysan_init, "type")
#define DECLARE_WEAK(fn, name) __attribute__((weak, visibility("default"))) void fn(void);
REFUSED_SANITIZERS(DECLARE_WEAK)

/* The program or library that holds address a (its base), or NULL. */
static void *object_of(const void *a)
{
    Dl_info info;
    return a && dladdr(a, &info) ? info.dli_fbase : NULL;
}

/* A sanitizer's runtime linked into the same object as libstmc (clang's default for a program,
 * -static-libsan) brings weak interceptors of sigaction and siglongjmp, which then replace
 * stmc's weak definitions (the sanitizer's come first on the link line): stmc no longer sees
 * handlers installed or left (a handler that ended the implicit transaction it interrupted,
 * or a jump out of one, deadlocked: address, undefined, leak), and its pthread_create skips
 * the sanitizer's thread set-up.  As a shared library (-shared-libsan, which stmcc passes)
 * its interceptors come after stmc's in the lookup, and both run; so does a libstmc.so after
 * a sanitizer linked into the program. */
static void check_sanitizer_runtime(void)
{
#define REFUSE(fn, name)                                                                       \
    if (fn)                                                                                    \
        stmc_fatal("the program holds the runtime of -fsanitize=" name ", which is not "       \
                   "supported with stmc (docs/api.md, \"Sanitizers\", says why)");
    REFUSED_SANITIZERS(REFUSE)
#undef REFUSE
    void *interceptor = dlsym(RTLD_DEFAULT, "__interceptor_sigaction");
    if (interceptor && object_of(interceptor) == object_of((void *)stmc_sigaction))
        stmc_fatal("a sanitizer's runtime is linked into the same object as stmc's (clang's "
                   "default, -static-libsan), and its sigaction replaced stmc's: signal "
                   "handlers would not be seen by stmc; link with -shared-libsan (stmcc does), "
                   "and use -fsanitize=address rather than -fsanitize=leak alone (it has no "
                   "shared runtime)");
}

static bool g_sig_interrupts[_NSIG]; /* siginterrupt(sig, 1): no SA_RESTART from signal() */

EXPORT __attribute__((weak)) int siginterrupt(int sig, int flag)
{
    static void *real;
    int (*fn)(int, int) = (int (*)(int, int))libc_fn(&real, "siginterrupt");
    int rc = fn(sig, flag); /* changes the installed action's SA_RESTART through libc */
    if (rc == 0 && sig > 0 && sig < _NSIG)
        __atomic_store_n(&g_sig_interrupts[sig], flag != 0, __ATOMIC_RELAXED);
    return rc;
}

/* signal() and its relatives call glibc's internal sigaction, around the one above: each is
 * interposed with its own semantics (signal, bsd_signal and ssignal: BSD, the handler stays
 * and the signal is blocked while it runs, restarting calls; sysv_signal, which -std=c11
 * makes of signal(): reset to the default at delivery, not blocked; sigset: System V's,
 * unblocking). */
static void (*install(int sig, void (*handler)(int), int flags, bool block_self))(int)
{
    if (handler == SIG_ERR) {
        errno = EINVAL;
        return SIG_ERR;
    }
    if ((flags & SA_RESTART) && sig > 0 && sig < _NSIG &&
        __atomic_load_n(&g_sig_interrupts[sig], __ATOMIC_RELAXED))
        flags &= ~SA_RESTART; /* as glibc's signal() does after siginterrupt */
    struct sigaction act, old;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    act.sa_flags = flags;
    sigemptyset(&act.sa_mask);
    if (block_self && sig > 0 && sig < _NSIG)
        sigaddset(&act.sa_mask, sig);
    if (sig_action(sig, &act, &old) != 0)
        return SIG_ERR;
    return old.sa_handler;
}

EXPORT void (*signal(int sig, void (*handler)(int)))(int)
{
    return install(sig, handler, SA_RESTART, true);
}

EXPORT __attribute__((weak, alias("signal"))) __typeof__(signal) bsd_signal;
EXPORT __attribute__((weak, alias("signal"))) __typeof__(signal) ssignal;

EXPORT void (*__sysv_signal(int sig, void (*handler)(int)))(int)
{
    return install(sig, handler, SA_RESETHAND | SA_NODEFER, false);
}

EXPORT __attribute__((weak, alias("__sysv_signal"))) __typeof__(__sysv_signal) sysv_signal;

EXPORT __attribute__((weak)) void (*sigset(int sig, void (*disp)(int)))(int)
{
    static void *real;
    void (*(*fn)(int, void (*)(int)))(int) =
        (void (*(*)(int, void (*)(int)))(int))libc_fn(&real, "sigset");
    if (disp == SIG_HOLD || disp == SIG_ERR) {
        void (*old)(int) = fn(sig, disp); /* libc's: it reports what libc installed */
        if ((void *)old == (void *)sig_trampoline && sig > 0 && sig < _NSIG)
            old = (void (*)(int))__atomic_load_n(&g_user_handler[sig], __ATOMIC_ACQUIRE);
        return old;
    }
    sigset_t set, was;
    sigemptyset(&set);
    if (sigaddset(&set, sig) != 0)
        return SIG_ERR;
    void (*old)(int) = install(sig, disp, 0, false);
    if (old == SIG_ERR || sigprocmask(SIG_UNBLOCK, &set, &was) != 0)
        return SIG_ERR;
    return sigismember(&was, sig) ? SIG_HOLD : old;
}
