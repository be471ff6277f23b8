/* runtime/thread.c - threads: every thread starts attached to the dummy segment (so its first
 * barrier acquires a real segment) and gives its segment back when it exits.
 *
 * pthread_create, pthread_join and the waits of POSIX synchronisation (barriers, condition
 * variables, semaphores) are interposed: libstmc defines them and calls libc's with
 * dlsym(RTLD_NEXT).  Both are calls out of stmc-compiled code, so they end the caller's
 * implicit transaction first (a thread that joins while holding the inevitable token would
 * deadlock with a child that needs it).
 */
#include "internal.h"

#include <dlfcn.h>
#include <semaphore.h>
#include <stdlib.h>

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
    void *(*fn)(void *);
    void *arg;
};

static void *trampoline(void *p)
{
    struct start st = *(struct start *)p;
    free(p);
    attach();
    return st.fn(st.arg);
}

static void leave_stm(void)
{
    struct seg *s = t_ts.seg;
    if (!s)
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
    struct start *st = malloc(sizeof *st);
    if (!st)
        return 11; /* EAGAIN */
    st->fn = fn;
    st->arg = arg;
    int rc = real_create(t, attr, trampoline, st);
    if (rc)
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

EXPORT int pthread_join(pthread_t t, void **ret)
{
    static void *real;
    int (*fn)(pthread_t, void **) = (int (*)(pthread_t, void **))libc_fn(&real, "pthread_join");
    before_blocking();
    return fn(t, ret);
}

/* The waits of POSIX synchronisation, interposed like pthread_join (before_blocking).  Not
 * pthread_mutex_lock: the runtime's allocator uses it under the commit lock. */
EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
    static void *real;
    int (*fn)(pthread_barrier_t *) =
        (int (*)(pthread_barrier_t *))libc_fn(&real, "pthread_barrier_wait");
    before_blocking();
    return fn(b);
}

EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    static void *real;
    int (*fn)(pthread_cond_t *, pthread_mutex_t *) =
        (int (*)(pthread_cond_t *, pthread_mutex_t *))libc_fn(&real, "pthread_cond_wait");
    bool released = before_blocking();
    int rc = fn(c, m);
    if (released)
        segment_around(m);
    return rc;
}

EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                  const struct timespec *t)
{
    static void *real;
    int (*fn)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *) =
        (int (*)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *))libc_fn(
            &real, "pthread_cond_timedwait");
    bool released = before_blocking();
    int rc = fn(c, m, t);
    if (released)
        segment_around(m);
    return rc;
}

EXPORT int sem_wait(sem_t *sem)
{
    static void *real;
    int (*fn)(sem_t *) = (int (*)(sem_t *))libc_fn(&real, "sem_wait");
    before_blocking();
    return fn(sem);
}

EXPORT int sem_timedwait(sem_t *sem, const struct timespec *t)
{
    static void *real;
    int (*fn)(sem_t *, const struct timespec *) =
        (int (*)(sem_t *, const struct timespec *))libc_fn(&real, "sem_timedwait");
    before_blocking();
    return fn(sem, t);
}
