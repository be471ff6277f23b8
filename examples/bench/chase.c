/* chase - what a %gs segment prefix costs a chain of dependent loads on this machine.
 *
 *   cc -O2 examples/bench/chase.c -o chase && ./chase [STEPS]
 *
 * A cycle of 256 pointers, one per 64-byte line (16 KiB: within L1), in random order, is
 * followed STEPS times (default 2e8) with each addressing form that stmc's code can use for a
 * heap load, and the time of one step is printed, in ns:
 *   flat        mov (base,off),off          a plain load: the segment's flat base in a register
 *   gs          mov %gs:(off),off           stmc's default heap load
 *   gs+index    mov %gs:(off,idx,8),off     an indexed element (p->child[i]): %gs adds the base
 *   lea+flat    lea (off,idx,8),t; mov (base,t),off   the same through the flat base
 * Each step waits for the previous load, as a list or tree walk does, so the differences are
 * load-to-use latencies.  The pass's -stmc-flat-loops turns %gs loads of call-free read-only
 * loops into the flat form where that is one addressing mode, and keeps %gs for indexed
 * elements (docs/design.md, "Compiler pass").
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NODES 256
#define LINE 64

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 200000000L;
    if (steps < 1) {
        fprintf(stderr, "usage: chase [STEPS > 0]\n");
        return 2;
    }
    char *buf = aligned_alloc(4096, NODES * LINE);
    int order[NODES];
    if (!buf)
        return 1;
    for (int i = 0; i < NODES; i++)
        order[i] = i;
    srand(1);
    for (int i = NODES - 1; i > 0; i--) {
        int j = rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    /* Each node holds the offset (from buf) of the next one. */
    for (int i = 0; i < NODES; i++)
        *(uint64_t *)(buf + order[i] * LINE) = (uint64_t)order[(i + 1) % NODES] * LINE;
    if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)buf) != 0) {
        perror("chase: arch_prctl(ARCH_SET_GS)");
        return 1;
    }
    uint64_t zero = 0, sink = 0;
    double best[4] = {1e30, 1e30, 1e30, 1e30};
    for (int round = 0; round < 3; round++) { /* the fastest of 3 rounds */
        double t[5];
        uint64_t a = 0, b = 0, c = 0, d = 0;
        t[0] = now_ns();
        for (long s = 0; s < steps; s++)
            __asm__ volatile("mov (%1,%0),%0" : "+r"(a) : "r"(buf));
        t[1] = now_ns();
        for (long s = 0; s < steps; s++)
            __asm__ volatile("mov %%gs:(%0),%0" : "+r"(b));
        t[2] = now_ns();
        for (long s = 0; s < steps; s++)
            __asm__ volatile("mov %%gs:(%0,%1,8),%0" : "+r"(c) : "r"(zero));
        t[3] = now_ns();
        for (long s = 0; s < steps; s++)
            __asm__ volatile("lea (%0,%1,8),%0\n\tmov (%2,%0),%0" : "+r"(d) : "r"(zero), "r"(buf));
        t[4] = now_ns();
        for (int k = 0; k < 4; k++)
            if ((t[k + 1] - t[k]) / steps < best[k])
                best[k] = (t[k + 1] - t[k]) / steps;
        sink += a + b + c + d;
    }
    printf("ns a step: flat %.2f, gs %.2f, gs+index %.2f, lea+flat %.2f (gs/flat %.2f)\n",
           best[0], best[1], best[2], best[3], best[1] / best[0]);
    return sink == 1; /* keeps the chains */
}
