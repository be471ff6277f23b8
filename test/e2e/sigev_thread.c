// SIGEV_THREAD notifications run in threads that glibc starts itself (not through the
// interposed pthread_create): they inherited the %gs of the thread that set the notification
// up, so their heap accesses ran the barriers against that thread's segment.  The runtime
// wraps the function (timer_create, mq_notify) so that its thread takes a segment of its own.
// Each round, main's atomic block writes every cell, then waits (inside the block) until a
// timer notification has added 1 to one of those cells outside any block; with
// STM_INJECT_ABORTS=2 half of main's attempts abort at their end.  The notification's write
// must survive: through main's segment it joined main's transaction, and an abort of main's
// attempt undid it (about half the rounds lost their tick).  Then one mq_notify notification,
// sent by another thread while main's block waits for its write.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 -lpthread
// RUN: env STM_INJECT_ABORTS=2 %run %t0 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 -lpthread
// RUN: env STM_INJECT_ABORTS=2 %run %t2 | FileCheck %s
// RUN: %run %t2 | FileCheck %s
// CHECK: timer: every tick kept: yes
// CHECK-NEXT: timer: cells written by main: yes
// CHECK-NEXT: mq_notify: the notification's write kept: yes
#include <stmc.h>
#include <fcntl.h>
#include <stdbool.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define CELLS 1024
#define ROUNDS 40

struct cell {
    long value, ticks; /* ticks: the notifications' (one granule with main's value) */
};

static struct cell STM_HEAP *cells;
/* plain C: main's request, the request a notification took (notifications may overlap), and
 * its answer */
static int want, taken, done;

static void tick(union sigval v)
{
    (void)v;
    int w = __atomic_load_n(&want, __ATOMIC_ACQUIRE);
    int t = __atomic_load_n(&taken, __ATOMIC_ACQUIRE);
    if (w == t || !__atomic_compare_exchange_n(&taken, &t, w, false, __ATOMIC_ACQ_REL,
                                               __ATOMIC_ACQUIRE))
        return; /* no request pending, or another notification took it */
    cells[5].ticks += 1; /* outside atomic blocks: an implicit transaction */
    __atomic_store_n(&done, w, __ATOMIC_RELEASE); /* ends it: the write is committed */
}

static const char *yes(int b) { return b ? "yes" : "no"; }

static mqd_t q;
static int in_block, hit;

static void mq_hit(union sigval v)
{
    (void)v;
    cells[7].ticks = 42;
    __atomic_store_n(&hit, 1, __ATOMIC_RELEASE);
}

static void *send_one(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&in_block, __ATOMIC_ACQUIRE))
        ;
    mq_send(q, "x", 1, 0);
    return NULL;
}

int main(void)
{
    cells = stm_alloc(CELLS * sizeof *cells);
    timer_t t;
    struct sigevent sev = {0};
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = tick;
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) {
        perror("timer_create");
        return 1;
    }
    struct itimerspec every = {{0, 100000}, {0, 100000}}, off = {{0, 0}, {0, 0}};
    timer_settime(t, 0, &every, NULL);
    for (int r = 1; r <= ROUNDS; r++) {
        STM_ATOMIC {
            for (long i = 0; i < CELLS; i++)
                cells[i].value += 1;
            __atomic_store_n(&want, r, __ATOMIC_RELEASE);
            while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) != r)
                ; /* the notification answers while this block runs */
        }
    }
    timer_settime(t, 0, &off, NULL);
    timer_delete(t);
    long ticks = 0, bad = 0;
    STM_ATOMIC {
        ticks = cells[5].ticks;
        bad = 0;
        for (long i = 0; i < CELLS; i++)
            bad += cells[i].value != ROUNDS;
    }
    printf("timer: every tick kept: %s\n", yes(ticks == ROUNDS));
    printf("timer: cells written by main: %s\n", yes(bad == 0));

    /* mq_notify: one notification when a message arrives on the empty queue, sent by another
     * thread while main's block waits for the notification's write. */
    struct mq_attr attr = {0, 4, 16, 0};
    char name[64];
    snprintf(name, sizeof name, "/stmc_sigev_%d", (int)getpid());
    q = mq_open(name, O_CREAT | O_RDWR, 0600, &attr);
    if (q == (mqd_t)-1) {
        perror("mq_open");
        return 1;
    }
    mq_unlink(name);
    struct sigevent nev = {0};
    nev.sigev_notify = SIGEV_THREAD;
    nev.sigev_notify_function = mq_hit;
    if (mq_notify(q, &nev) != 0) {
        perror("mq_notify");
        return 1;
    }
    pthread_t sender;
    pthread_create(&sender, NULL, send_one, NULL);
    STM_ATOMIC {
        cells[7].value += 1;
        __atomic_store_n(&in_block, 1, __ATOMIC_RELEASE);
        while (!__atomic_load_n(&hit, __ATOMIC_ACQUIRE))
            ;
    }
    pthread_join(sender, NULL);
    long seven = 0;
    STM_ATOMIC {
        seven = cells[7].ticks;
    }
    printf("mq_notify: the notification's write kept: %s\n", yes(seven == 42));
    mq_close(q);
    return 0;
}
