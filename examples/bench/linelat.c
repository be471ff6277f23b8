/* linelat - how long one cache line takes to travel between two CPUs of this machine.
 *
 *   cc -O2 -pthread examples/bench/linelat.c -o linelat && ./linelat [CPU_A CPU_B]
 *
 * Two threads, pinned to two CPUs (0 and 1 by default), pass a counter back and forth through
 * one line: each waits for the other's value, then writes the next.  A round trip is two
 * transfers of the line; the one-way figure is half a round trip.  Every commit of stmc's
 * single commit lock moves a few such lines between the committing CPUs (docs/design.md,
 * "Limits"), so this latency bounds how fast short transactions can commit in turn.
 */
#define _GNU_SOURCE
#include <time.h>

#include "two_cpus.h"

#define ROUNDS 2000000L

static _Alignas(128) volatile long g_line;
static int g_cpu[2];

static void *responder(void *arg)
{
    (void)arg;
    two_cpus_pin("linelat", g_cpu[1]);
    for (long i = 0; i < ROUNDS; i++) {
        while (g_line != 2 * i + 1)
            ;
        g_line = 2 * i + 2;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (!two_cpus_args(argc, argv, g_cpu))
        return 2;
    two_cpus_pin("linelat", g_cpu[0]);
    pthread_t t;
    if (pthread_create(&t, NULL, responder, NULL) != 0) {
        perror("pthread_create");
        return 1;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < ROUNDS; i++) {
        g_line = 2 * i + 1;
        while (g_line != 2 * i + 2)
            ;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    pthread_join(t, NULL);
    double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
    printf("CPUs %d and %d: round trip %.1f ns, one way %.1f ns\n", g_cpu[0], g_cpu[1],
           ns / ROUNDS, ns / ROUNDS / 2);
    return 0;
}
