/* cowcost - what a page's copy-on-write costs, alone and beside a second running thread.
 *
 *   cc -O2 -pthread examples/bench/cowcost.c -o cowcost && ./cowcost [CPU_A CPU_B]
 *
 * stmc's segments map the heap's memfd MAP_PRIVATE, and a segment's first write to a page that
 * it still shares with segment 0 makes the kernel copy it (docs/design.md, "Segments and
 * memory"); a committer does the same to the other segments that hold a snapshot.  This times
 * such copies of PAGES pages of a memfd: written first (no page-table entry yet), and written
 * after a read (the read mapped the shared page read-only, so the write must also take that
 * entry out of every CPU's TLB).  Each is timed with this thread alone on CPU_A (0 by
 * default), and again while a second thread of the process runs on CPU_B (1): then the TLB
 * flush is an interrupt to that CPU, waited for.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "two_cpus.h"

#define PAGES 2048
#define ROUNDS 5 /* the median of each */

static int g_cpu[2];
static volatile int g_stop, g_running;

static void *busy(void *arg)
{
    (void)arg;
    two_cpus_pin("cowcost", g_cpu[1]);
    g_running = 1;
    while (!g_stop)
        ;
    return NULL;
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Microseconds a page for the copies of a new private view of the memfd fd, whose pages are
 * read first when read_first. */
static double copy_cost(int fd, int read_first)
{
    size_t size = (size_t)PAGES * 4096;
    volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    if (read_first) {
        char sum = 0;
        for (size_t i = 0; i < size; i += 4096)
            sum += p[i];
        (void)sum;
    }
    double t0 = now_us();
    for (size_t i = 0; i < size; i += 4096)
        p[i] = 2;
    double t1 = now_us();
    munmap((void *)p, size);
    return (t1 - t0) / PAGES;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_cost(int fd, int read_first)
{
    double v[ROUNDS];
    for (int r = 0; r < ROUNDS; r++)
        v[r] = copy_cost(fd, read_first);
    qsort(v, ROUNDS, sizeof v[0], cmp_double);
    return v[ROUNDS / 2];
}

int main(int argc, char **argv)
{
    if (!two_cpus_args(argc, argv, g_cpu))
        return 2;
    two_cpus_pin("cowcost", g_cpu[0]);
    int fd = memfd_create("cowcost", 0);
    if (fd < 0 || ftruncate(fd, (off_t)PAGES * 4096) != 0) {
        perror("memfd");
        return 1;
    }
    /* every page written once through a shared view, as segment 0's heap is */
    char *shared = mmap(NULL, (size_t)PAGES * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (shared == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (size_t i = 0; i < (size_t)PAGES * 4096; i += 4096)
        shared[i] = 1;

    double alone_w = median_cost(fd, 0), alone_r = median_cost(fd, 1);
    pthread_t t;
    if (pthread_create(&t, NULL, busy, NULL) != 0) {
        perror("pthread_create");
        return 1;
    }
    while (!g_running)
        ;
    double beside_w = median_cost(fd, 0), beside_r = median_cost(fd, 1);
    g_stop = 1;
    pthread_join(t, NULL);
    printf("CPU %d alone: first write %.2f us a page, after a read %.2f us\n", g_cpu[0],
           alone_w, alone_r);
    printf("CPU %d, a thread running on CPU %d: first write %.2f us a page, after a read "
           "%.2f us\n", g_cpu[0], g_cpu[1], beside_w, beside_r);
    return 0;
}
