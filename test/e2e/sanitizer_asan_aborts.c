// AddressSanitizer and UndefinedBehaviorSanitizer run stmc programs, and an abort unpoisons
// the stack it leaves, as glibc's longjmp does under ASan.  Two threads: one increments X in
// atomic blocks; the other's blocks write Y (so they run marked and validate), then call a
// recursion whose frames hold instrumented arrays (ASan poisons their redzones at entry and
// clears them at return) and whose innermost call reads X, waits (in a block's first attempt)
// until the writer has committed X since, and calls stm_validate(), which then aborts the
// attempt.  The first attempt of a block recurses 8 deep, the retries not at all, so the
// frames an abort leaves are not entered again: with the frames on the thread's stack
// (detect_stack_use_after_return=0), after a retried block the redzone after the first
// attempt's innermost array must not be poisoned (without __asan_handle_no_return in the
// abort it was, after ~98% of them).  With ASan's fake stack (its default) the left frames
// stay marked as returned, as ASan means them to (a use through a pointer to them is a
// use after return).  No sanitizer may report either way.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all %s -o %t
// RUN: env ASAN_OPTIONS=detect_stack_use_after_return=0 %run %t 2>&1 | FileCheck %s
// RUN: %run %t 2>&1 | FileCheck --check-prefix=FAKE %s
// CHECK: retried blocks: {{[1-9][0-9]*}}, left poisoned: 0
// CHECK-NOT: Sanitizer
// FAKE: retried blocks: {{[1-9][0-9]*}}, left poisoned:
// FAKE-NOT: Sanitizer
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stmc.h>

typedef STM_HEAP struct cell {
    long v;
} cell_t;

static cell_t *X, *Y;
static volatile int stop;
static long g_writes; /* commits of X so far (atomic: it escapes the blocks) */
static volatile int g_index = 7; /* not a constant: the array gets its redzones */
static int g_first;              /* the reader's first attempt of the block runs */
static char *g_first_buf;        /* the innermost array of that attempt */

__attribute__((noinline)) static long deep(int d)
{
    volatile char buf[100];
    buf[g_index] = (char)d;
    if (d > 0) {
        long r = deep(d - 1) + buf[g_index];
        return r;
    }
    long seen = __atomic_load_n(&g_writes, __ATOMIC_ACQUIRE);
    long v = X->v;
    if (g_first) {
        g_first_buf = (char *)buf;
        /* until a commit of X that began after this read has ended: a conflict, found by */
        while (__atomic_load_n(&g_writes, __ATOMIC_ACQUIRE) < seen + 2)
            __builtin_ia32_pause();
    }
    stm_validate(); /* ... this, which aborts the attempt */
    return v + buf[g_index];
}

static void *reader(void *arg)
{
    (void)arg;
    int retried = 0, poisoned = 0;
    for (int i = 0; i < 2000; i++) {
        long r = 0;
        volatile int attempts = 0; /* volatile: counts attempts (not restored at a retry) */
        g_first_buf = NULL; /* (a first attempt may abort before deep: an unmarked start) */
        STM_ATOMIC {
            attempts++;
            Y->v++;
            g_first = attempts == 1;
            r = deep(g_first ? 8 : 0);
        }
        (void)r;
        if (attempts > 1 && g_first_buf) {
            retried++;
            poisoned += __asan_address_is_poisoned(g_first_buf + 100);
        }
    }
    stop = 1;
    printf("retried blocks: %d, left poisoned: %d\n", retried, poisoned);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!stop) {
        STM_ATOMIC { X->v++; }
        __atomic_fetch_add(&g_writes, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

int main(void)
{
    X = stm_alloc(sizeof *X);
    Y = stm_alloc(sizeof *Y);
    pthread_t a, b;
    pthread_create(&b, NULL, writer, NULL);
    pthread_create(&a, NULL, reader, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
