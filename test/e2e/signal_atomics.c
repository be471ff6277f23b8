// A signal handler with an atomic operation on plain memory (a tick counter, legal C) may
// interrupt heap code running outside atomic blocks, also inside the runtime or between a
// barrier and its store: the handler's _stm_sync must leave the interrupted implicit
// transaction alone (the runtime runs the program's handlers through a trampoline; sigaction
// and signal are interposed).  Before, the thread hung on its own commit lock (6 of 7 runs) or
// corrupted the malloc heap.  sigaction reports the program's handler as the old one, for
// handlers installed with sigaction and with signal.  The other modes: the handler also calls
// the C library (write: an external call, which ended the interrupted transaction as well),
// retries a CAS in a loop (its safe point, while a rival thread outside blocks waits for the
// token), or is installed with sigset (not through sigaction: glibc calls its internal one);
// and "jump": a handler left by siglongjmp leaves the thread's atomics working (the count of
// running handlers stayed up: a heap flag published by a fence was never seen), also from a
// handler on an alternate signal stack that lies above the thread's stack (mmap'ed, in a
// thread: its frame compared as still live); "hold": sigset(SIG_HOLD) reports the program's
// handler, and giving it back works (it returned the trampoline, then recursed for ever).
// Also from an SS_AUTODISARM alternate stack (the kernel disarms it at delivery: "autodisarm").
// "libc": glibc's semantics kept through the interposition: after an SA_RESETHAND delivery a
// query says SIG_DFL without SA_SIGINFO (it kept the trampoline's, and a chaining handler
// called null), siginterrupt before signal() makes a read fail with EINTR (it restarted for
// ever), signal(sig, SIG_ERR) fails with EINVAL (it installed -1), and a child forked while
// another thread calls sigaction can call signal() (it inherited the lock held: 5 of 20 hung).
// A watchdog ends a stalled run after 60 s.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t 60 | FileCheck %s
// RUN: %run %t 30 write | FileCheck %s
// RUN: %run %t 30 cas | FileCheck %s
// RUN: %run %t 30 sigset | FileCheck %s
// RUN: %run %t 1 jump | FileCheck %s --check-prefix=JUMP
// RUN: %run %t 1 altstack | FileCheck %s --check-prefix=JUMP
// RUN: %run %t 1 hold | FileCheck %s --check-prefix=HOLD
// RUN: %run %t 1 autodisarm | FileCheck %s --check-prefix=JUMP
// RUN: %run %t 1 libc | FileCheck %s --check-prefix=LIBC
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t0 20 | FileCheck %s
// RUN: %stmcc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 %s -o %t.c11
// RUN: %run %t.c11 30 | FileCheck %s
// CHECK: old handler reported: sigaction 1, signal 1
// CHECK: lost 0, ticks {{[1-9]}}
// JUMP: jumped out of the handler; the flag was seen
// HOLD: sigset(SIG_HOLD) returned the program's handler: 1; it ran 1 time
// LIBC: reset: SIG_DFL 1, SA_SIGINFO 0
// LIBC-NEXT: siginterrupt: EINTR 1
// LIBC-NEXT: SIG_ERR: EINVAL 1
// LIBC-NEXT: forks: 20, children that exited 20
#define _DEFAULT_SOURCE /* sigset, under -std=c11 too */
#define _XOPEN_SOURCE 700
#include <stmc.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/wait.h>
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* <signal.h> has it under _GNU_SOURCE only */
#endif
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static _Atomic long ticks;
static const char *mode = "atomic";
static int devnull = -1;
static void on_alarm(int sig)
{
    (void)sig;
    if (!strcmp(mode, "cas")) {
        long v = atomic_load_explicit(&ticks, memory_order_relaxed);
        while (!atomic_compare_exchange_weak(&ticks, &v, v + 1))
            ;
    } else {
        atomic_fetch_add_explicit(&ticks, 1, memory_order_relaxed);
    }
    if (!strcmp(mode, "write") && write(devnull, "x", 1) < 0)
        abort();
}
static void on_usr1(int sig) { (void)sig; }

static sigjmp_buf jb;
static void jump_out(int sig)
{
    (void)sig;
    siglongjmp(jb, 1);
}

struct box {
    long flag, rival;
};
static struct box STM_HEAP *g;
static _Atomic int seen, done;

static void *poller(void *arg)
{
    (void)arg;
    for (;;) {
        long v;
        STM_ATOMIC { v = g->flag; }
        if (v)
            break;
    }
    atomic_store(&seen, 1);
    return NULL;
}

static int usr1_count;
static void count_usr1(int sig)
{
    (void)sig;
    usr1_count++;
}

/* In a thread (whose stack, mapped after the alternate stack, lies below it): a handler left
 * by siglongjmp, then a heap flag published by a fence must reach a poller. */
static void *alt;
static void *jump_and_publish(void *arg)
{
    (void)arg;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = jump_out;
    if (alt) {
        stack_t ss = {.ss_sp = alt, .ss_size = 1 << 16};
        if (!strcmp(mode, "autodisarm"))
            ss.ss_flags = SS_AUTODISARM;
        sigaltstack(&ss, NULL);
        sa.sa_flags = SA_ONSTACK;
    }
    sigaction(SIGUSR1, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0)
        raise(SIGUSR1);
    pthread_t t;
    pthread_create(&t, NULL, poller, NULL);
    g->flag = 1;                               /* an implicit transaction */
    atomic_thread_fence(memory_order_seq_cst); /* ends it */
    while (!atomic_load(&seen))
        ;
    pthread_join(t, NULL);
    return NULL;
}

static void *churn(void *arg) /* sigaction calls, to be forked in the middle of */
{
    (void)arg;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    while (!atomic_load_explicit(&done, memory_order_relaxed))
        sigaction(SIGUSR2, &sa, NULL);
    return NULL;
}

static int libc_semantics(void)
{
    struct sigaction sa, q;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &q);
    printf("reset: SIG_DFL %d, SA_SIGINFO %d\n", q.sa_handler == SIG_DFL,
           (q.sa_flags & SA_SIGINFO) != 0);

    int p[2];
    if (pipe(p) != 0)
        return 1;
    siginterrupt(SIGALRM, 1);
    signal(SIGALRM, on_usr1);
    struct itimerval once = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &once, NULL);
    char c;
    ssize_t r = read(p[0], &c, 1);
    printf("siginterrupt: EINTR %d\n", r < 0 && errno == EINTR);

    errno = 0;
    printf("SIG_ERR: EINVAL %d\n", signal(SIGUSR1, SIG_ERR) == SIG_ERR && errno == EINVAL);

    pthread_t t;
    pthread_create(&t, NULL, churn, NULL);
    int exited = 0;
    for (int i = 0; i < 20; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            signal(SIGINT, SIG_DFL);
            _exit(0);
        }
        int st = 0;
        pid_t w = 0;
        for (int k = 0; k < 500 && (w = waitpid(pid, &st, WNOHANG)) == 0; k++)
            usleep(2000); /* up to a second */
        if (w == 0) {     /* hung: counted as not exited */
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
        } else if (w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            exited++;
        }
    }
    atomic_store(&done, 1);
    pthread_join(t, NULL);
    printf("forks: 20, children that exited %d\n", exited);
    return 0;
}

static void *rival(void *arg) /* heap writes outside blocks: waits for the token, sets YIELD */
{
    (void)arg;
    while (!atomic_load_explicit(&done, memory_order_relaxed))
        for (int i = 0; i < 1000; i++)
            g->rival++;
    return NULL;
}

#define LEN (1 << 16)
static long STM_HEAP *a;
static long expect[LEN];

static void *checker(void *arg)
{
    long *bad = arg, n = 0;
    STM_ATOMIC {
        n = 0;
        for (long i = 0; i < LEN; i++)
            n += a[i] != expect[i];
    }
    *bad = n;
    return NULL;
}

static void *watchdog(void *arg)
{
    (void)arg;
    time_t end = time(NULL) + 60; /* the timer's signals cut sleeps short */
    while (time(NULL) < end)
        sleep(1);
    printf("stalled\n");
    fflush(stdout);
    _Exit(1);
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 60;
    mode = argc > 2 ? argv[2] : "atomic";
    devnull = open("/dev/null", O_WRONLY);
    a = stm_alloc(LEN * sizeof(long));
    g = stm_alloc(sizeof *g);
    pthread_t w;
    pthread_create(&w, NULL, watchdog, NULL);
    if (!strcmp(mode, "hold")) {
        signal(SIGUSR1, count_usr1);
        void (*old)(int) = sigset(SIGUSR1, SIG_HOLD);
        sigset(SIGUSR1, old);
        raise(SIGUSR1);
        printf("sigset(SIG_HOLD) returned the program's handler: %d; it ran %d time\n",
               old == count_usr1, usr1_count);
        return 0;
    }
    if (!strcmp(mode, "libc"))
        return libc_semantics();
    if (!strcmp(mode, "jump") || !strcmp(mode, "altstack") || !strcmp(mode, "autodisarm")) {
        if (!strcmp(mode, "altstack") || !strcmp(mode, "autodisarm"))
            alt = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        pthread_t j;
        pthread_create(&j, NULL, jump_and_publish, NULL);
        pthread_join(j, NULL);
        printf("jumped out of the handler; the flag was seen\n");
        return 0;
    }
    pthread_t r;
    if (!strcmp(mode, "cas"))
        pthread_create(&r, NULL, rival, NULL);

    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    if (!strcmp(mode, "sigset"))
        sigset(SIGALRM, on_alarm);
    else
        sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGALRM, NULL, &old);
    signal(SIGUSR1, on_usr1);
    printf("old handler reported: sigaction %d, signal %d\n", old.sa_handler == on_alarm,
           signal(SIGUSR1, SIG_DFL) == on_usr1);

    struct itimerval it = {{0, 20}, {0, 20}};
    setitimer(ITIMER_REAL, &it, NULL);
    long lost = 0;
    for (long r = 1; r <= rounds; r++) {
        for (long i = 0; i < LEN; i++) {
            a[i] = r * LEN + i; /* an implicit transaction, interrupted by the timer */
            expect[i] = r * LEN + i;
        }
        pthread_t t;
        long bad = 0;
        pthread_create(&t, NULL, checker, &bad); /* ends the implicit transaction */
        pthread_join(t, NULL);
        lost += bad;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    atomic_store(&done, 1);
    if (!strcmp(mode, "cas"))
        pthread_join(r, NULL);
    printf("lost %ld, ticks %ld\n", lost, (long)ticks);
    return lost != 0;
}
