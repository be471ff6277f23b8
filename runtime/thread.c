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
#include <semaphore.h>
#include <stdlib.h>
#include <threads.h>

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
    struct seg *s = t_ts.seg;
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

void thread_attach_main(void)
{
    if (pthread_key_create(&g_key, detach_thread) != 0)
        stmc_fatal("pthread_key_create failed");
    attach();
}

struct start {
    void *(*fn)(void *); /* pthread_create's */
    int (*fn11)(void *); /* thrd_create's */
    void *arg;
};

static struct start *start_new(void *(*fn)(void *), int (*fn11)(void *), void *arg)
{
    struct start *st = malloc(sizeof *st);
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
    free(p);
    attach();
    return st.fn(st.arg);
}

static int trampoline11(void *p)
{
    struct start st = *(struct start *)p;
    free(p);
    attach();
    return st.fn11(st.arg);
}

static void leave_stm(void)
{
    struct seg *s = t_ts.seg;
    if (!s || s->in_abort_cb)
        return;
    if (s->atomic_depth > 0)
        tx_become_inevitable(s);
    else
        tx_end_implicit(s);
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
    struct start *st = start_new(fn, NULL, arg);
    if (!st)
        return 11; /* EAGAIN */
    int rc = real_create(t, attr, trampoline, st);
    if (rc)
        free(st);
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
    struct start *st = start_new(NULL, fn, arg);
    if (!st)
        return thrd_nomem;
    int rc = real_create(t, trampoline11, st);
    if (rc != thrd_success)
        free(st);
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
    if (!g_ready)
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
    if (!s || s->atomic_depth == 0 || s->in_abort_cb)
        return;
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
