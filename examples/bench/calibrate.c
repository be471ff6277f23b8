/* examples/bench/calibrate.c - how much parallelism the machine offers right now.
 *
 * Runs the same CPU-bound loop on 1 thread, then on N threads at once; prints
 * "capacity: X" = N * t(1) / t(N): N on an idle machine with N free cores, about 1 when the
 * threads had to share one core (other work, CPU quota).  run.py reports it next to the
 * multi-thread numbers, which cannot scale past it.  Plain C, no stmc.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long g_iters;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *spin(void *p)
{
    unsigned long x = (unsigned long)(size_t)p + 1;
    for (long i = 0; i < g_iters; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    *(volatile unsigned long *)&x = x;
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2;
    g_iters = argc > 2 ? atol(argv[2]) : 200000000L;
    if (n < 1 || n > 1024)
        return 2;
    pthread_t *t = calloc((size_t)n, sizeof *t);
    double t0 = now_ms();
    spin(NULL);
    double t1 = now_ms();
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, spin, (void *)(size_t)i);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    double t2 = now_ms();
    printf("one_ms: %.1f\nall_ms: %.1f\ncapacity: %.2f\n", t1 - t0, t2 - t1,
           n * (t1 - t0) / (t2 - t1));
    free(t);
    return 0;
}
