// A program's own function named stm_something is instrumented like any other (the plugin
// took every stm_ name for the runtime's and left this one without barriers: two threads'
// increments through it lost half of their updates, 200000 of 400000, at -O0 and -O2).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// CHECK: count 400000
// IR-LABEL: define {{.*}}void @stm_counter_add(
// IR: call void @_stm_write_slow(
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

struct counter {
    long n;
};
static struct counter STM_HEAP *c;

__attribute__((noinline)) void stm_counter_add(struct counter STM_HEAP *p, long d)
{
    p->n += d;
}

static void *work(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200000; i++)
        STM_ATOMIC {
            stm_counter_add(c, 1);
        }
    return NULL;
}

int main(void)
{
    c = stm_alloc(sizeof *c);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    long n = 0;
    STM_ATOMIC {
        n = c->n;
    }
    printf("count %ld\n", n);
    return n != 400000;
}
