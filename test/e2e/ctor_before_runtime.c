// Constructors that use the heap before the runtime's own constructor ran: the program's at
// priority 101, the runtime's too (which of the two runs first is the link order's: the
// program's objects come first), and a shared library's built with stmcc -shared, which runs
// before all of the program's.  The first thread that needs a segment starts the runtime
// (seg_acquire); before, stm_alloc there waited forever for a segment, none being set up yet
// (found by a review helper).  An atomic block in such a constructor commits as usual, and
// stm_setup there comes after the environment is read, as it does after start-up (STATS=1
// over STM_STATS=0: the statistics are printed).  An atexit handler that such a constructor
// registers before the runtime started runs before the runtime's exit hook, whose statistics
// count its blocks (as an atexit handler of its own the hook ran first and missed them).
// REQUIRES: stmc-runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %stmcc -O2 -fPIC -shared -DLIB %s -o %t/libearly.so
// RUN: %stmcc -O0 %s -L%t -learly -Wl,-rpath,%t -o %t/p0 && %run %t/p0 | FileCheck %s
// RUN: %stmcc -O2 %s -L%t -learly -Wl,-rpath,%t -o %t/p2 && %run %t/p2 | FileCheck %s
// RUN: %stmcc -O2 -DNO_LIB %s -o %t/p3 && %run %t/p3 | FileCheck %s --check-prefix=NOLIB
// RUN: %stmcc -O2 -DNO_LIB -DSETUP %s -o %t/p4 && env STM_STATS=0 %run %t/p4 2>&1 | FileCheck %s --check-prefix=SETUP
// RUN: %stmcc -O2 -DNO_LIB -DATEXIT %s -o %t/p5 && env STM_STATS=1 %run %t/p5 2>&1 | FileCheck %s --check-prefix=ATEXIT
// CHECK: library 7, program 41, atomic 3
// NOLIB: program 41, atomic 3
// SETUP-DAG: program 41, atomic 3
// SETUP-DAG: stmc statistics
// ATEXIT: atexit handler: 100 blocks
// ATEXIT: commits_atomic {{ *}}101 
#include <stdio.h>
#include <stdlib.h>
#include <stmc.h>

typedef STM_HEAP struct box {
    long v;
} box_t;

#ifdef LIB
box_t *lib_box;

__attribute__((constructor)) static void lib_early(void)
{
    lib_box = stm_alloc(sizeof *lib_box);
    lib_box->v = 7;
}
#else
static box_t *g, *a;

#ifdef ATEXIT
static void at_exit_blocks(void)
{
    for (int i = 0; i < 100; i++)
        STM_ATOMIC {
            a->v++;
        }
    fprintf(stderr, "atexit handler: 100 blocks\n");
}
#endif

__attribute__((constructor(101))) static void early(void)
{
#ifdef ATEXIT
    atexit(at_exit_blocks);
#endif
#ifdef SETUP
    if (stm_setup("STATS=1") != 0)
        return;
#endif
    g = stm_alloc(sizeof *g);
    g->v = 41;
}

__attribute__((constructor(101))) static void early_atomic(void)
{
    a = stm_alloc(sizeof *a);
    STM_ATOMIC {
        a->v = 3;
    }
}

#ifdef NO_LIB
int main(void)
{
    printf("program %ld, atomic %ld\n", g->v, a->v);
    return 0;
}
#else
extern box_t *lib_box;

int main(void)
{
    printf("library %ld, program %ld, atomic %ld\n", lib_box->v, g->v, a->v);
    return 0;
}
#endif
#endif
