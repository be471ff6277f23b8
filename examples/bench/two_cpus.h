/* two_cpus.h - the CPU pair of examples/bench's two-thread tools (linelat.c, cowcost.c), which
 * are each built from their one file: `cc -O2 -pthread examples/bench/TOOL.c` finds this header
 * beside it.  Needs _GNU_SOURCE before the first include. */
#ifndef STMC_BENCH_TWO_CPUS_H
#define STMC_BENCH_TWO_CPUS_H

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs the calling thread on cpu only, or stops the tool: its two threads busy-wait or time
 * each other, and on one CPU a run that was meant to take a second took hours (linelat.c). */
static void two_cpus_pin(const char *tool, int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        fprintf(stderr, "%s: cannot run a thread on CPU %d (not one this process may use?)\n",
                tool, cpu);
        exit(2);
    }
}

/* The command line [CPU_A CPU_B] (default 0 1) into cpu[2]; false (after the usage line) for
 * anything else, or the same CPU twice. */
static int two_cpus_args(int argc, char **argv, int cpu[2])
{
    cpu[0] = 0;
    cpu[1] = 1;
    if (argc == 3) {
        cpu[0] = atoi(argv[1]);
        cpu[1] = atoi(argv[2]);
    }
    if (argc == 2 || argc > 3 || cpu[0] == cpu[1] || cpu[0] < 0 || cpu[1] < 0 ||
        cpu[0] >= CPU_SETSIZE || cpu[1] >= CPU_SETSIZE) {
        fprintf(stderr, "usage: %s [CPU_A CPU_B] (two different CPUs; default 0 1)\n", argv[0]);
        return 0;
    }
    return 1;
}

#endif
