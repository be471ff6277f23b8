/* A library built by stmcc -shared, loaded with dlopen by host.c. */
#include <stmc.h>

static void on_commit(void *arg)
{
    (void)arg;
}

long plug_add(long STM_HEAP *cell, long k)
{
    long r;
    STM_ATOMIC {
        *cell += k;
        r = *cell;
        stm_on_commit(on_commit, 0);
    }
    return r;
}
