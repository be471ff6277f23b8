// C types and constructs on the STM heap through the plugin, against the plain-C build of the
// same file: _Atomic fields (fetch_add, explicit-order load/store, compare-exchange), long
// double (x87, 16 bytes), _Complex double, float, a union, a _Bool bitfield, a 2-D array, a
// VLA filled from the heap, a 13-byte char array copied out and back, in atomic blocks and in
// implicit transactions, at -O0..-O3, with injected aborts.
// REQUIRES: stmc-runtime
// RUN: %stmcc_nostm -O2 -w %s -o %t.ref -lm && %run %t.ref > %t.want
// RUN: %stmcc -O0 -w %s -o %t0 -lm && env STM_INJECT_ABORTS=3 %run %t0 > %t0.out && diff %t.want %t0.out
// RUN: %stmcc -O1 -w %s -o %t1 -lm && env STM_INJECT_ABORTS=3 %run %t1 > %t1.out && diff %t.want %t1.out
// RUN: %stmcc -O2 -w %s -o %t2 -lm && env STM_INJECT_ABORTS=3 %run %t2 > %t2.out && diff %t.want %t2.out
// RUN: %stmcc -O3 -w %s -o %t3 -lm && %run %t3 > %t3.out && diff %t.want %t3.out
// RUN: FileCheck %s < %t.want
// CHECK: digest {{[0-9]+}} name wxynopqrstuv
#include <stmc.h>
#include <complex.h>
#include <stdatomic.h>
#include <stdio.h>

union u {
    long l;
    double d;
    unsigned char b[8];
};

struct o {
    _Atomic unsigned long at;
    long double ld;
    _Complex double cd;
    float f;
    union u un;
    _Bool flag : 1;
    unsigned rest : 7;
    char name[13];
    short arr2[3][4];
};

static struct o STM_HEAP *g;

static unsigned long clamp(long double v)
{
    return v > 1e18L || v < -1e18L ? 7u : (unsigned long)(long)v;
}

static unsigned long work(struct o STM_HEAP *p, int n)
{
    unsigned long s = 0;
    atomic_fetch_add(&p->at, (unsigned long)n);
    atomic_store_explicit(&p->at, atomic_load(&p->at) * 2u, memory_order_release);
    unsigned long expected = atomic_load_explicit(&p->at, memory_order_acquire);
    atomic_compare_exchange_strong(&p->at, &expected, expected + 1u);
    p->ld = p->ld * 1.5L + n;
    p->cd = p->cd * (1.0 + 2.0 * I) + n;
    p->f = p->f * 0.5f + (float)n;
    p->un.d = 1.25 * n;
    p->un.b[0] ^= (unsigned char)n;
    p->flag = !p->flag;
    p->rest = (unsigned)(p->rest + n) & 127u;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            p->arr2[i][j] = (short)(p->arr2[i][j] + i * j + n);
    int vla[n + 1];
    for (int i = 0; i <= n; i++)
        vla[i] = p->arr2[i % 3][i % 4];
    for (int i = 0; i <= n; i++)
        s += (unsigned long)vla[i];
    char tmp[13];
    __builtin_memcpy(tmp, p->name, sizeof tmp);
    tmp[n % 12] = (char)('a' + n % 26);
    __builtin_memcpy(p->name, tmp, sizeof tmp);
    return s + atomic_load(&p->at) + clamp(p->ld) + clamp(creal(p->cd)) + clamp(cimag(p->cd)) +
           (unsigned long)p->f + (unsigned long)p->un.l + p->flag + p->rest;
}

int main(void)
{
    g = stm_alloc(sizeof *g);
    unsigned long s = 0;
    for (int i = 0; i < 50; i++) {
        unsigned long r = 0;
        STM_ATOMIC {
            r = work(g, i); /* assigned, not accumulated: an aborted run is run again */
        }
        s = s * 31 + r;
        s = s * 31 + work(g, i + 1);
    }
    char name[14] = {0};
    __builtin_memcpy(name, g->name, 13);
    printf("digest %lu name %s %ld %a\n", s, name, (long)(g->ld / 1e10L), creal(g->cd));
    return 0;
}
