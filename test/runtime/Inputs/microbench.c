/* microbench.c - the runtime's own micro-benchmarks (explicit barriers, no plugin).
 *   empty   N empty atomic blocks (one thread)
 *   bank    N transfers between 1000 accounts (one thread)
 *   noconf  N small transactions per thread, each thread on its own page (T threads)
 *           --work W adds W barriered reads of the thread's page per transaction
 * Build: clang -O2 -Ibuild/include microbench.c build/lib/libstmc.a -lpthread -ldl
 * Run:   ./a.out empty|bank|noconf N [T] [--work W]   (prints ns per transaction / Mtx/s)
 */
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define RD(lv) (stm_read(&(lv), sizeof(lv)), (lv))
#define WR(lv, v) do { stm_write(&(lv), sizeof(lv)); (lv) = (v); } while (0)

typedef struct { int64_t v[512]; } page_t;
static page_t STM_HEAP *pages[64];
static long N, work;

static void *noconf(void *p)
{
    page_t STM_HEAP *m = pages[(intptr_t)p];
    for (long i = 0; i < N; i++)
        STM_ATOMIC {
            int64_t s = 0;
            for (long k = 0; k < work; k++)
                s += RD(m->v[16 + (k & 255)]);
            for (int k = 0; k < 4; k++)
                WR(m->v[k * 2], RD(m->v[k * 2]) + 1 + (s & 1));
        }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "empty";
    N = argc > 2 ? atol(argv[2]) : 1000000;
    int T = argc > 3 && argv[3][0] != '-' ? atoi(argv[3]) : 1;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--work"))
            work = atol(argv[i + 1]);
    if (!strcmp(what, "empty")) {
        STM_ATOMIC {}
        double t0 = now();
        for (long i = 0; i < N; i++)
            STM_ATOMIC {}
        double dt = now() - t0;
        printf("empty atomic block: %.1f ns\n", dt / (double)N * 1e9);
    } else if (!strcmp(what, "bank")) {
        int64_t STM_HEAP *acc = stm_alloc(1000 * 16);
        uint64_t seed = 88172645463325252ULL;
        double t0 = now();
        for (long i = 0; i < N; i++) {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
            int a = (int)(seed % 1000), b = (int)((seed >> 20) % 1000);
            STM_ATOMIC {
                WR(acc[a * 2], RD(acc[a * 2]) - 1);
                WR(acc[b * 2], RD(acc[b * 2]) + 1);
            }
        }
        double dt = now() - t0;
        printf("bank transfer: %.1f ns\n", dt / (double)N * 1e9);
    } else {
        for (int i = 0; i < T; i++)
            pages[i] = stm_alloc(sizeof(page_t));
        pthread_t t[64];
        double t0 = now();
        for (int i = 0; i < T; i++)
            pthread_create(&t[i], NULL, noconf, (void *)(intptr_t)i);
        for (int i = 0; i < T; i++)
            pthread_join(t[i], NULL);
        double dt = now() - t0;
        printf("noconf threads=%d work=%ld: %.2f Mtx/s (%.1f ns/tx/thread)\n", T, work,
               (double)N * T / dt / 1e6, dt / (double)N * 1e9);
    }
    return 0;
}
