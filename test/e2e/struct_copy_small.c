// Small struct copies, moves and sets on the heap (at most 64 bytes: loads and stores with
// inline barriers since -stmc-scalarize-mem, not runtime calls) give what plain C gives:
// "model" compares memcpy/memmove/memset of every size 1..64 at offsets 0..15 (overlapping
// moves both ways) with the same on plain memory; "swap" runs threads that swap 48-byte
// records in atomic blocks (with aborts injected) and outside them, and checks that every
// record is still one of the originals, each present once.  -stmc-scalarize-mem=0 (the calls)
// must agree.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 model | FileCheck %s --check-prefix=MODEL
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 model | FileCheck %s --check-prefix=MODEL
// RUN: %stmcc -O2 -mllvm -stmc-scalarize-mem=0 %s -o %t2c && %run %t2c model | FileCheck %s --check-prefix=MODEL
// RUN: env STM_INJECT_ABORTS=3 %run %t0 swap | FileCheck %s --check-prefix=SWAP
// RUN: env STM_INJECT_ABORTS=3 %run %t2 swap | FileCheck %s --check-prefix=SWAP
// RUN: %stmcc -O2 -mllvm -stmc-report %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// MODEL: model: 0 differences
// SWAP: swap: records intact, each once
// REPORT: small memory intrinsics made loads and stores {{[1-9][0-9]*}}
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MAXN 64
#define AREA (2 * MAXN + 32)

/* One function per size, so that each memcpy has a constant length (the scalarized case). */
#define SIZES(X)                                                                               \
    X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16)    \
    X(17) X(23) X(24) X(31) X(32) X(33) X(40) X(47) X(48) X(55) X(56) X(63) X(64)
#define OPS(n)                                                                                 \
    __attribute__((noinline)) static void cpy##n(unsigned char STM_HEAP *d,                    \
                                                 const unsigned char STM_HEAP *s)              \
    {                                                                                          \
        __builtin_memcpy(d, s, n);                                                             \
    }                                                                                          \
    __attribute__((noinline)) static void mov##n(unsigned char STM_HEAP *d,                    \
                                                 const unsigned char STM_HEAP *s)              \
    {                                                                                          \
        __builtin_memmove(d, s, n);                                                            \
    }                                                                                          \
    __attribute__((noinline)) static void set##n(unsigned char STM_HEAP *d, int v)             \
    {                                                                                          \
        __builtin_memset(d, v, n);                                                             \
    }
SIZES(OPS)

static unsigned char STM_HEAP *heap;
static unsigned char plain[AREA];

static void fill(int seed)
{
    for (int i = 0; i < AREA; i++) {
        plain[i] = (unsigned char)(i * 13 + seed);
        heap[i] = plain[i];
    }
}

static int differs(void)
{
    int d = 0;
    for (int i = 0; i < AREA; i++)
        d += heap[i] != plain[i];
    return d;
}

static int model(void)
{
    int diffs = 0;
#define RUN(n)                                                                                 \
    for (int off = 0; off < 16; off++) {                                                       \
        fill(n + off);                                                                         \
        cpy##n(heap + MAXN + 16 + off, heap + off); /* apart: memcpy's ranges may not overlap */ \
        memcpy(plain + MAXN + 16 + off, plain + off, n);                                       \
        diffs += differs();                                                                    \
        fill(n * 3 + off);                                                                     \
        mov##n(heap + off + 5, heap + off); /* overlapping, forwards */                        \
        memmove(plain + off + 5, plain + off, n);                                              \
        diffs += differs();                                                                    \
        fill(n * 5 + off);                                                                     \
        mov##n(heap + off, heap + off + 3); /* overlapping, backwards */                       \
        memmove(plain + off, plain + off + 3, n);                                              \
        diffs += differs();                                                                    \
        fill(n * 7 + off);                                                                     \
        set##n(heap + off, 0xa5 + off);                                                        \
        memset(plain + off, 0xa5 + off, n);                                                    \
        diffs += differs();                                                                    \
    }
    SIZES(RUN)
    return diffs;
}

struct rec { long a, b, c, d, e, id; };
#define NREC 64
static struct rec STM_HEAP *recs;

static void *swapper(void *arg)
{
    unsigned x = (unsigned)(uintptr_t)arg * 2654435761u + 1;
    for (int k = 0; k < 20000; k++) {
        x = x * 1103515245u + 12345u;
        int i = (int)(x >> 8) % NREC, j = (int)(x >> 20) % NREC;
        if (k & 1) {
            STM_ATOMIC {
                struct rec t = recs[i];
                recs[i] = recs[j];
                recs[j] = t;
            }
        } else {
            struct rec t = recs[i]; /* outside blocks: a stretch of implicit transactions */
            STM_ATOMIC {
                t = recs[i];
                recs[i] = recs[j];
                recs[j] = t;
            }
        }
    }
    return NULL;
}

static int swap(void)
{
    recs = stm_alloc(NREC * sizeof(struct rec));
    for (long i = 0; i < NREC; i++)
        recs[i] = (struct rec){i, 2 * i, 3 * i, 4 * i, 5 * i, i};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, swapper, (void *)(uintptr_t)i);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    int seen[NREC] = {0}, ok = 1;
    for (int i = 0; i < NREC; i++) {
        struct rec r = recs[i];
        long id = r.id;
        if (id < 0 || id >= NREC || r.a != id || r.b != 2 * id || r.c != 3 * id ||
            r.d != 4 * id || r.e != 5 * id || seen[id]++)
            ok = 0;
    }
    return ok;
}

int main(int argc, char **argv)
{
    heap = stm_alloc(AREA);
    if (argc > 1 && strcmp(argv[1], "model") == 0)
        printf("model: %d differences\n", model());
    else
        printf("swap: %s\n", swap() ? "records intact, each once" : "BROKEN");
    return 0;
}
