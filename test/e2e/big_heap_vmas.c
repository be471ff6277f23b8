// 1 GiB of written data on 2 threads stays within the default vm.max_map_count (65530): the
// heap views are single mappings whose pages the kernel copies on write, so neither writing
// nor committing nor resharing splits them.  Each thread fills its half of 1 GiB of 1 MiB
// objects, one object per atomic block, then the main thread checks every object and counts
// the process's memory mappings.  --mib N changes the size (soak runs).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t | FileCheck %s
// CHECK: written 1024 MiB
// CHECK: mappings ok
// CHECK: DONE
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OBJ (1L << 20)
static uint64_t STM_HEAP **objs; /* a plain array of heap pointers */
static long nobj;

static void *fill(void *arg)
{
    long t = (long)(intptr_t)arg;
    for (long i = t; i < nobj; i += 2) {
        uint64_t STM_HEAP *o = objs[i];
        STM_ATOMIC {
            for (long k = 0; k < OBJ / 8; k += 512) /* one word per 4 KiB page */
                o[k] = (uint64_t)i * 1000003u + (uint64_t)k;
            o[OBJ / 8 - 1] = (uint64_t)i;
        }
    }
    return NULL;
}

static long count_mappings(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    long n = 0;
    int c;
    while (f && (c = fgetc(f)) != EOF)
        n += c == '\n';
    if (f)
        fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    long mib = 1024;
    if (argc > 2 && !strcmp(argv[1], "--mib"))
        mib = atol(argv[2]);
    nobj = mib;
    objs = calloc((size_t)nobj, sizeof *objs);
    for (long i = 0; i < nobj; i++)
        objs[i] = stm_alloc(OBJ);
    pthread_t th[2];
    for (long t = 0; t < 2; t++)
        pthread_create(&th[t], NULL, fill, (void *)(intptr_t)t);
    for (long t = 0; t < 2; t++)
        pthread_join(th[t], NULL);
    long bad = 0;
    for (long i = 0; i < nobj; i++) {
        uint64_t STM_HEAP *o = objs[i];
        STM_ATOMIC {
            for (long k = 0; k < OBJ / 8; k += 512)
                bad += o[k] != (uint64_t)i * 1000003u + (uint64_t)k;
            bad += o[OBJ / 8 - 1] != (uint64_t)i;
        }
    }
    long maps = count_mappings();
    printf("written %ld MiB, %ld bad words\n", mib, bad);
    printf("mappings %s (%ld)\n", maps < 1000 && bad == 0 ? "ok" : "TOO MANY OR BAD", maps);
    printf("DONE\n");
    return bad == 0 && maps < 1000 ? 0 : 1;
}
