// STM_CONFLICTS with blocks in a library's constructor: while one thread is inside dlopen
// (holding the dynamic loader's lock) the constructor's blocks conflict with two other
// threads' blocks on one counter.  The report names a new pair with dladdr, which takes that
// lock: it once did so holding the report's own lock, which the constructor's aborted block
// then waited for while a spinning thread waited in dladdr (7 of 20 runs hung).  Forty rounds
// of dlopen and dlclose; every increment counted.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 -g -shared -fPIC -DLIB %s -o %t.lib.so
// RUN: %stmcc -O2 -g %s -o %t -ldl -rdynamic
// RUN: env STM_CONFLICTS=3 %run %t %t.lib.so 2>&1 | FileCheck %s
// CHECK: counted: yes
// CHECK: stmc conflicts:
#include <stmc.h>
#ifdef LIB
extern long STM_HEAP *shared_ctr;
__attribute__((constructor)) static void ctor(void)
{
    for (int i = 0; i < 20000; i++)
        STM_ATOMIC {
            (*shared_ctr)++;
        }
}
#else
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

long STM_HEAP *shared_ctr;
static int stop;
static long spun[2];

static void *spin(void *arg)
{
    long k = (long)(uintptr_t)arg, n = 0;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        STM_ATOMIC {
            (*shared_ctr)++;
        }
        n++;
    }
    spun[k] += n;
    return NULL;
}

int main(int argc, char **argv)
{
    shared_ctr = stm_alloc(sizeof *shared_ctr);
    for (int round = 0; round < 40; round++) {
        __atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
        pthread_t t[2];
        for (long i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, spin, (void *)(uintptr_t)i);
        void *h = dlopen(argc > 1 ? argv[1] : "./lib.so", RTLD_NOW);
        if (!h) {
            printf("dlopen: %s\n", dlerror());
            return 1;
        }
        __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        dlclose(h);
    }
    long v = *shared_ctr;
    printf("counted: %s\n", v == 40 * 20000 + spun[0] + spun[1] ? "yes" : "no");
    fflush(stdout);
    return 0;
}
#endif
