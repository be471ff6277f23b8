/* cells.h - what e2e tests of the commit paths share: an array of cells in the STM heap, atomic
 * blocks that move amounts between random cells (each counts its moves), and the array's sums.
 * Money is only moved, so the values' total never changes; every move counts twice. */
#ifndef STMC_TEST_CELLS_H
#define STMC_TEST_CELLS_H

#include <stmc.h>
#include <stdio.h>

struct cell {
    long value;
    long moves;
};

static inline const char *yes(int b) { return b ? "yes" : "no"; }

/* n atomic blocks, each moving a pseudo-random amount (0..8) from one random cell to another. */
static void cells_transfer(struct cell STM_HEAP *cells, long ncells, unsigned long long seed,
                           long n)
{
    unsigned long long x = 0x9e3779b97f4a7c15ull * seed + 1;
    for (long i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        long from = (long)(x % (unsigned long long)ncells);
        long to = (long)((x >> 20) % (unsigned long long)ncells), amount = (long)(x >> 40) % 9;
        STM_ATOMIC {
            cells[from].value -= amount;
            cells[from].moves++;
            cells[to].value += amount;
            cells[to].moves++;
        }
    }
}

/* The values' total and the moves' count, read in one atomic block. */
static void cells_sums(struct cell STM_HEAP *cells, long ncells, long *total, long *moves)
{
    long t = 0, m = 0;
    STM_ATOMIC {
        t = m = 0;
        for (long i = 0; i < ncells; i++)
            t += cells[i].value, m += cells[i].moves;
    }
    *total = t;
    *moves = m;
}

#endif
