// The implicit transaction's slice (STM_IMPLICIT_SLICE_US): a thread writing the heap outside
// atomic blocks keeps the token for the slice after another thread's code outside blocks first
// asks for it, instead of handing it over at its next safe point (two such threads took turns
// of one loop iteration each, a commit and an import a turn).  B writes its array in a loop
// outside blocks until A has had the token; A asks once B holds it.  With a slice of 200 ms A
// waits at least that long, and B's safe points keep the token (counter implicit_slice_keeps);
// with 0, B lets it go at its next safe point and keeps nothing.  The flags only pace the
// threads: the plain-memory flags are relaxed atomics (which end no implicit transaction).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && env STM_IMPLICIT_SLICE_US=200000 %run %t0 | FileCheck %s --check-prefix=LONG
// RUN: %stmcc -O2 %s -o %t2 && env STM_IMPLICIT_SLICE_US=200000 %run %t2 | FileCheck %s --check-prefix=LONG
// RUN: env STM_IMPLICIT_SLICE_US=0 %run %t2 | FileCheck %s --check-prefix=OFF
// RUN: %run %t2 | FileCheck %s --check-prefix=DEFAULT
// LONG: A waited at least 200 ms: yes
// LONG: B kept the token: yes
// LONG: sums ok
// OFF: B kept the token: no
// OFF: sums ok
// DEFAULT: B kept the token: yes
// DEFAULT: sums ok
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define N 64
static long STM_HEAP *arr_a;
static long STM_HEAP *arr_b;
static int b_has, a_in;
static double a_waited_ms;
static long b_rounds;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void *thread_b(void *arg)
{
    (void)arg;
    arr_b[0] = 1; /* takes the token; a write to publish */
    __atomic_store_n(&b_has, 1, __ATOMIC_RELAXED);
    long i = 0;
    while (!__atomic_load_n(&a_in, __ATOMIC_RELAXED)) {
        arr_b[i % N] += 1;
        i++;
    }
    b_rounds = i;
    return NULL;
}

static void *thread_a(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&b_has, __ATOMIC_RELAXED))
        ;
    double t0 = now_ms();
    arr_a[0] = 7; /* waits for the token */
    a_waited_ms = now_ms() - t0;
    __atomic_store_n(&a_in, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(void)
{
    arr_a = stm_alloc(N * sizeof(long));
    arr_b = stm_alloc(N * sizeof(long));
    struct stm_stats st0, st1;
    stm_stats_get(&st0);
    pthread_t a, b;
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    stm_stats_get(&st1);
    long sum = 0;
    for (int i = 0; i < N; i++)
        sum += arr_b[i];
    printf("A waited at least 200 ms: %s\n", a_waited_ms >= 200.0 ? "yes" : "no");
    printf("B kept the token: %s\n", st1.implicit_slice_keeps > st0.implicit_slice_keeps ? "yes" : "no");
    printf("sums %s\n", sum == 1 + b_rounds && arr_a[0] == 7 ? "ok" : "WRONG");
    return 0;
}
