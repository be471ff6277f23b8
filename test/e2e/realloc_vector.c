// A vector in the STM heap that threads append to in atomic blocks, growing it with
// stm_realloc (through the plugin: barriers from the compiler).  Each thread appends its own
// sequence; at the end every value is there once (length, sum, each thread's values in its
// order), and the plain-C build (stmcc --no-stm, realloc) gives the same.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 | FileCheck %s
// RUN: %stmcc --no-stm -O2 %s -o %t3 && %run %t3 | FileCheck %s
// CHECK: vector ok: 40000 values, 4 threads in order
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define PER 10000

struct vec {
    long len, cap;
    long STM_HEAP *v;
};
static struct vec STM_HEAP *vec;

static void *append(void *arg)
{
    long id = (long)arg;
    for (long i = 0; i < PER; i++) {
        STM_ATOMIC {
            if (vec->len == vec->cap) {
                vec->cap = vec->cap ? vec->cap * 2 : 4;
                vec->v = stm_realloc(vec->v, (size_t)vec->cap * sizeof(long));
            }
            vec->v[vec->len++] = id * PER + i;
        }
    }
    return NULL;
}

int main(void)
{
    STM_ATOMIC {
        vec = stm_alloc(sizeof *vec);
    }
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, append, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    long last[THREADS], sum = 0, n = 0;
    int ok = 1;
    for (int i = 0; i < THREADS; i++)
        last[i] = -1;
    STM_ATOMIC {
        n = vec->len;
        for (long k = 0; k < n; k++) {
            long x = vec->v[k], id = x / PER;
            if (id < 0 || id >= THREADS || x % PER != last[id] + 1)
                ok = 0;
            else
                last[id] = x % PER;
            sum += x;
        }
    }
    long want = (long)THREADS * PER * (THREADS * PER - 1) / 2;
    if (ok && n == (long)THREADS * PER && sum == want)
        printf("vector ok: %ld values, %d threads in order\n", n, THREADS);
    else
        printf("vector BAD: %ld values, sum %ld (want %ld), order %s\n", n, sum, want,
               ok ? "ok" : "broken");
    return 0;
}
