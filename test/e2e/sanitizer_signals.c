// Signal handlers under AddressSanitizer and UndefinedBehaviorSanitizer: a SIGALRM handler
// installed with sigaction runs every 200 us (an async-signal-safe libc call and an atomic add)
// while two threads run atomic blocks and the main thread also writes the heap outside blocks;
// then a handler left by siglongjmp, after which the main thread writes the heap outside
// blocks and joins a thread that runs a block.  Linked into the program (clang's default), the
// sanitizers' runtimes replaced stmc's sigaction and siglongjmp and both cases hung (the
// handler ended the implicit transaction it interrupted, whose thread held the commit lock;
// the jump left the runtime thinking it was still in the handler); stmcc links them as shared
// libraries, and the runtime refuses to start with one linked in (the STATIC lines link it so
// by hand), or with the runtime of a sanitizer that stmc does not support (TSAN; stmcc and the
// plugin refuse it, but a response file read differently from clang let one through).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O1 -g -fsanitize=address %s -o %t.asan
// RUN: %run %t.asan 2>&1 | FileCheck %s
// RUN: %stmcc -O1 -g -fsanitize=undefined %s -o %t.ubsan
// RUN: %run %t.ubsan 2>&1 | FileCheck %s
// RUN: %stmcc -O1 -g -fsanitize=address -c %s -o %t.o
// RUN: %clang -fsanitize=address %t.o -Wl,--dynamic-list=%stmc_lib/stmc/runtime.dynlist %stmc_lib/libstmc.a -pthread -ldl -o %t.static
// RUN: not --crash %run %t.static 2>&1 | FileCheck --check-prefix=STATIC %s
// RUN: %stmcc -O1 -c %s -o %t.plain.o
// RUN: %clang -fsanitize=thread %t.plain.o -Wl,--dynamic-list=%stmc_lib/stmc/runtime.dynlist %stmc_lib/libstmc.a -pthread -ldl -o %t.tsan
// RUN: not --crash %run %t.tsan 2>&1 | FileCheck --check-prefix=TSAN %s
// CHECK: handler: ticks seen, v[1] = 2 x 200000 + the worker's blocks
// CHECK-NEXT: back from the handler
// CHECK-NEXT: v = 11
// CHECK-NOT: Sanitizer
// TSAN: stmc: the program holds the runtime of -fsanitize=thread, which is not supported with stmc
// STATIC: stmc: a sanitizer's runtime is linked into the same object as stmc's (clang's default, -static-libsan), and its sigaction replaced stmc's
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <stmc.h>

typedef STM_HEAP struct cells {
    long v[64];
} cells_t;

static cells_t *x;
static long ticks, worker_blocks;
static volatile int stop;
static sigjmp_buf env;

static void on_alarm(int sig)
{
    (void)sig;
    (void)getppid();
    __atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
    (void)arg;
    long n = 0;
    while (!stop) {
        STM_ATOMIC {
            for (int j = 1; j < 64; j++)
                x->v[j] += 1;
        }
        n++;
    }
    worker_blocks = n;
    return NULL;
}

static void on_usr1(int sig)
{
    (void)sig;
    siglongjmp(env, 1);
}

static void *one_block(void *arg)
{
    (void)arg;
    STM_ATOMIC { x->v[0]++; }
    return NULL;
}

int main(void)
{
    x = stm_alloc(sizeof *x);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 200}, {0, 200}};
    setitimer(ITIMER_REAL, &it, NULL);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    for (long i = 0; i < 200000; i++) {
        STM_ATOMIC {
            for (int j = 1; j < 64; j++)
                x->v[j] += 2;
        }
        x->v[0]++; /* outside blocks too */
    }
    stop = 1;
    pthread_join(t, NULL);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    long v1 = 0;
    STM_ATOMIC { v1 = x->v[1]; }
    printf("handler: %s, v[1] = 2 x 200000 + the worker's blocks%s\n",
           ticks > 0 ? "ticks seen" : "no ticks", v1 == 2 * 200000 + worker_blocks ? "" : " (WRONG)");

    signal(SIGUSR1, on_usr1);
    if (sigsetjmp(env, 1) == 0)
        raise(SIGUSR1);
    printf("back from the handler\n");
    fflush(stdout);
    x->v[0] = 10; /* heap code outside blocks */
    pthread_create(&t, NULL, one_block, NULL);
    pthread_join(t, NULL);
    printf("v = %ld\n", x->v[0]);
    return 0;
}
