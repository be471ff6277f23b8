// stmcc --no-stm builds the same source as plain C: STM_HEAP vanishes, stm_alloc is calloc, and
// atomic blocks serialise on one global lock (the baseline every benchmark compares against).
// REQUIRES: stmc-runtime
// RUN: %stmcc_nostm -O0 %s -o %t0 && %run %t0 | FileCheck %s
// RUN: %stmcc_nostm -O2 %s -o %t2 && %run %t2 | FileCheck %s
// RUN: %stmcc_nostm -O2 -S -emit-llvm %s -o - | FileCheck --check-prefix=IR %s
// IR-NOT: addrspace(256)
// IR-NOT: _stm_read_slow
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

typedef STM_HEAP struct counter { long n; } counter_t;
static counter_t *c;

static void *work(void *arg) {
    (void)arg;
    for (int i = 0; i < 100000; i++)
        STM_ATOMIC { c->n++; }
    return NULL;
}

int main(void) {
    c = stm_alloc(sizeof *c);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    // CHECK: plain=1 n=400000
    printf("plain=%d n=%ld\n", __builtin_types_compatible_p(counter_t *, struct counter *), c->n);
    stm_free(c);
    return 0;
}
