/* runtime/thread.c - threads: every thread starts attached to the dummy segment (so its first
 * barrier acquires a real segment) and gives its segment back when it exits.
 *
 * pthread_create and pthread_join are interposed: libstmc defines them and calls libc's with
 * dlsym(RTLD_NEXT).  Both are calls out of stmc-compiled code, so they end the caller's
 * implicit transaction first (a thread that joins while holding the inevitable token would
 * deadlock with a child that needs it).
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdlib.h>

STMC_TLS struct thread_state t_ts;

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
typedef int (*join_fn)(pthread_t, void **);
static create_fn real_create;
static join_fn real_join;
static pthread_key_t g_key;

static void detach_thread(void *unused)
{
    (void)unused;
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
    if (!real_create) {
        real_create = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
        if (!real_create)
            stmc_fatal("cannot find libc's pthread_create");
    }
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

EXPORT int pthread_join(pthread_t t, void **ret)
{
    if (!real_join) {
        real_join = (join_fn)dlsym(RTLD_NEXT, "pthread_join");
        if (!real_join)
            stmc_fatal("cannot find libc's pthread_join");
    }
    if (g_ready) {
        leave_stm();
        /* Joining blocks: a thread that waits for a segment must not wait for this one. */
        if (t_ts.seg && t_ts.seg->atomic_depth == 0)
            seg_release();
    }
    return real_join(t, ret);
}
