/* alloc_churn - threads replace objects of a shared table at random, in atomic blocks: each
 * block allocates a new object, stores it in a slot and frees the one it replaced.  Prints the
 * resident memory and (stmc) the heap handed out so far after every million replacements of
 * thread 0: what the allocator keeps while the live data stays the same.
 *
 *   build/bin/stmcc -O2 -pthread examples/bench/alloc_churn.c -o alloc_churn
 *   ./alloc_churn [MILLIONS_PER_THREAD [THREADS]]      (default 8, 2)
 *
 * docs/design.md ("Allocation") has what it showed: with a CPU-bound process beside it on a
 * 2-CPU machine, the heap grows with the longest time a thread was descheduled holding its
 * snapshot.
 */
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096

struct obj {
    long v[6];
};
static struct obj STM_HEAP *STM_HEAP *slots;
static long per_thread;

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static void *work(void *arg)
{
    long id = (long)arg;
    unsigned long x = (unsigned long)id * 0x9E3779B97F4A7C15UL + 1;
    for (long i = 0; i < per_thread; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        long k = (long)(x % SLOTS);
        STM_ATOMIC {
            struct obj STM_HEAP *old = slots[k];
            struct obj STM_HEAP *n = stm_alloc(sizeof *n);
            n->v[0] = i;
            slots[k] = n;
            stm_free(old);
        }
        if (id == 0 && (i + 1) % 1000000 == 0) {
#ifndef STMC_NO_STM
            printf("%ld M per thread: RSS %ld KiB, heap handed out %llu KiB\n", (i + 1) / 1000000,
                   rss_kb(), (unsigned long long)(_stm_test_heap_used() >> 10));
#else
            printf("%ld M per thread: RSS %ld KiB\n", (i + 1) / 1000000, rss_kb());
#endif
            fflush(stdout);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    per_thread = (argc > 1 ? atol(argv[1]) : 8) * 1000000;
    int nt = argc > 2 ? atoi(argv[2]) : 2;
    if (per_thread <= 0 || nt < 1 || nt > 64) {
        fprintf(stderr, "usage: %s [MILLIONS_PER_THREAD [THREADS (1-64)]]\n", argv[0]);
        return 2;
    }
    STM_ATOMIC {
        slots = stm_alloc(sizeof(*slots) * SLOTS);
    }
    pthread_t t[64];
    for (long i = 0; i < nt; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < nt; i++)
        pthread_join(t[i], NULL);
    printf("end: RSS %ld KiB\n", rss_kb());
    return 0;
}
