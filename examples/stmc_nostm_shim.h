/* examples/stmc_nostm_shim.h - TEMPORARY stand-in for <stmc.h> in its STMC_NO_STM form.
 *
 * Used by bench_support.h only when <stmc.h> cannot be found (before include/stmc.h exists or
 * when an example is compiled by hand without -I include).  It gives the plain-C baseline that
 * `stmcc --no-stm` provides: STM_HEAP is empty, stm_alloc is calloc, and every atomic block
 * takes one global recursive lock.  It cannot provide real transactions.
 */
#ifndef STMC_NOSTM_SHIM_H
#define STMC_NOSTM_SHIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#define STM_HEAP
#define STM_IMMUTABLE
#define STM_PURE
#define STM_EXTERNAL

/* One process-wide recursive lock; the depth is per thread so nested blocks are flat. */
static pthread_mutex_t stm_shim__lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static __thread int stm_shim__depth;

static inline int stm_shim__enter(void)
{
    pthread_mutex_lock(&stm_shim__lock);
    stm_shim__depth++;
    return 1;
}
static inline int stm_shim__leave(void)
{
    stm_shim__depth--;
    pthread_mutex_unlock(&stm_shim__lock);
    return 0;
}

static inline void *stm_alloc(size_t n) { return calloc(1, n ? n : 1); }
static inline void stm_free(void *p) { free(p); }
static inline bool stm_in_atomic(void) { return stm_shim__depth > 0; }
static inline void stm_become_inevitable(const char *reason) { (void)reason; }
static inline void stm_atomic(void (*fn)(void *), void *arg)
{
    stm_shim__enter();
    fn(arg);
    stm_shim__leave();
}

#define STM_ATOMIC                                                              \
    for (int stm_shim__once = stm_shim__enter(); stm_shim__once;                \
         stm_shim__once = stm_shim__leave())

#endif /* STMC_NOSTM_SHIM_H */
