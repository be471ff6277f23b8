// The implicit transaction's slice (STM_IMPLICIT_SLICE_US): a thread whose code outside atomic
// blocks waits for the token lets the holder run for the slice before it asks (as a GIL's
// switch interval), instead of asking at once: two threads writing the heap outside blocks
// took turns of one loop iteration each, a commit and an import a turn.  B writes its array in
// a loop outside blocks until A has had the token; A wants it once B holds it.  With a slice
// of 3 ms A waits at least that long (B ends its implicit transaction only when asked); the
// counter implicit_slice_waits counts A's wait, which 0 turns off.  "spin": B writes, then
// spins on a heap flag that A sets once it has the token: A asks after the slice, and B,
// asked, lets it go at its next safe point (no hang).  "poll": B only reads (polls the flag
// without writing first): its transaction's end costs nothing, so A asks at once (one thread
// polling the heap outside blocks held every other's implicit start up for the slice).  The
// plain-memory flags are relaxed atomics, which end no implicit transaction.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && env STM_IMPLICIT_SLICE_US=3000 %run %t0 | FileCheck %s --check-prefix=LONG
// RUN: %stmcc -O2 %s -o %t2 && env STM_IMPLICIT_SLICE_US=3000 %run %t2 | FileCheck %s --check-prefix=LONG
// RUN: env STM_IMPLICIT_SLICE_US=3000 %run %t2 spin | FileCheck %s --check-prefix=LONG
// RUN: env STM_IMPLICIT_SLICE_US=3000 %run %t2 poll | FileCheck %s --check-prefix=POLL
// RUN: env STM_IMPLICIT_SLICE_US=0 %run %t2 | FileCheck %s --check-prefix=OFF
// RUN: %run %t2 | FileCheck %s --check-prefix=DEFAULT
// LONG: A waited at least 3 ms: yes
// LONG: A let B run before asking: yes
// LONG: sums ok
// POLL: A let B run before asking: no
// POLL: sums ok
// OFF: A let B run before asking: no
// OFF: sums ok
// DEFAULT: A let B run before asking: yes
// DEFAULT: sums ok
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define N 64
struct g { long v, pad; }; /* a granule each */
static struct g STM_HEAP *arr_a;
static struct g STM_HEAP *arr_b;
static long STM_HEAP *flag;
static int b_has, a_in, spin, poll;
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
    if (poll) { /* reads only: takes the token */
        long seen = *flag;
        __atomic_store_n(&b_has, 1, __ATOMIC_RELAXED);
        while (!seen)
            seen = *flag;
        b_rounds = 1;
        return NULL;
    }
    arr_b[0].v = 1; /* takes the token */
    __atomic_store_n(&b_has, 1, __ATOMIC_RELAXED);
    long i = 1;
    if (spin) {
        while (!*flag) /* only A can set it, once it has the token */
            ;
    } else {
        for (; !__atomic_load_n(&a_in, __ATOMIC_RELAXED); i++)
            arr_b[i % N].v += 1;
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
    poll = argc > 1 && strcmp(argv[1], "poll") == 0;
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
    printf("A waited at least 3 ms: %s\n", a_waited_ms >= 3.0 ? "yes" : "no");
    printf("A let B run before asking: %s\n",
           st1.implicit_slice_waits > st0.implicit_slice_waits ? "yes" : "no");
    printf("sums %s\n", sum == (spin ? 1 : poll ? 0 : b_rounds) && arr_a[0].v == 7 ? "ok" : "WRONG");
    return 0;
}
