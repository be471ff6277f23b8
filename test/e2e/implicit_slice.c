// The implicit transaction's slice (STM_IMPLICIT_SLICE_US): a thread writing new heap granules
// outside atomic blocks keeps the token for the slice after another thread's code outside
// blocks first asks for it, instead of handing it over at its next safe point (two such
// threads took turns of one loop iteration each, a commit and an import a turn).  B writes a
// new granule at every iteration of a loop outside blocks until A has had the token; A asks
// once B holds it.  With a slice of 3 ms A waits at least that long (each of B's safe points
// that A's requests reach comes after a new granule), and B's safe points keep the token
// (counter implicit_slice_keeps); with 0, B lets it go at its next safe point and keeps
// nothing.  "spin": B writes once, then spins on a heap flag that A sets: having written
// nothing new for 20 us, it lets the token go, long before the slice of 1 s (turns taken
// through the heap waited out the whole slice at each turn in the first version).  The
// plain-memory flags are relaxed atomics, which end no implicit transaction.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && env STM_IMPLICIT_SLICE_US=3000 STM_IMPLICIT_MAX_GRANULES=4000000 %run %t0 | FileCheck %s --check-prefix=LONG
// RUN: %stmcc -O2 %s -o %t2 && env STM_IMPLICIT_SLICE_US=3000 STM_IMPLICIT_MAX_GRANULES=4000000 %run %t2 | FileCheck %s --check-prefix=LONG
// RUN: env STM_IMPLICIT_SLICE_US=0 STM_IMPLICIT_MAX_GRANULES=4000000 %run %t2 | FileCheck %s --check-prefix=OFF
// RUN: env STM_IMPLICIT_MAX_GRANULES=4000000 %run %t2 | FileCheck %s --check-prefix=DEFAULT
// RUN: env STM_IMPLICIT_SLICE_US=1000000 %run %t2 spin | FileCheck %s --check-prefix=SPIN
// LONG: A waited at least 3 ms: yes
// LONG: B kept the token: yes
// LONG: sums ok
// OFF: B kept the token: no
// OFF: sums ok
// DEFAULT: B kept the token: yes
// DEFAULT: sums ok
// SPIN: A waited at least 1 s: no
// SPIN: sums ok
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define N (1 << 21)
struct g { long v, pad; }; /* a granule each */
static struct g STM_HEAP *arr_a;
static struct g STM_HEAP *arr_b;
static long STM_HEAP *flag;
static int b_has, a_in, spin;
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
    arr_b[0].v = 1; /* takes the token; a write to publish */
    __atomic_store_n(&b_has, 1, __ATOMIC_RELAXED);
    long i = 1;
    if (spin) {
        while (!*flag) /* written nothing new since: lets A have the token */
            ;
    } else {
        for (; i < N && !__atomic_load_n(&a_in, __ATOMIC_RELAXED); i++)
            arr_b[i].v = 1; /* a new granule at every iteration */
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
    arr_a[0].v = 7; /* waits for the token */
    a_waited_ms = now_ms() - t0;
    *flag = 1;
    __atomic_store_n(&a_in, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(int argc, char **argv)
{
    spin = argc > 1 && strcmp(argv[1], "spin") == 0;
    arr_a = stm_alloc(sizeof(struct g));
    arr_b = stm_alloc(N * sizeof(struct g));
    flag = stm_alloc(sizeof *flag);
    struct stm_stats st0, st1;
    stm_stats_get(&st0);
    pthread_t a, b;
    pthread_create(&b, NULL, thread_b, NULL);
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    stm_stats_get(&st1);
    long sum = 0;
    for (long i = 0; i < N; i++)
        sum += arr_b[i].v;
    if (spin)
        printf("A waited at least 1 s: %s\n", a_waited_ms >= 1000.0 ? "yes" : "no");
    else
        printf("A waited at least 3 ms: %s\n", a_waited_ms >= 3.0 ? "yes" : "no");
    printf("B kept the token: %s\n", st1.implicit_slice_keeps > st0.implicit_slice_keeps ? "yes" : "no");
    printf("sums %s\n", sum == b_rounds && arr_a[0].v == 7 ? "ok" : "WRONG");
    return 0;
}
