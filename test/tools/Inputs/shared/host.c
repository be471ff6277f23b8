/* Loads ./libplug.so (argv[1]) with dlopen after using the heap itself: both must share one
 * runtime, one heap (stmcc_shared.test). */
#include <stmc.h>
#include <dlfcn.h>
#include <stdio.h>

typedef STM_HEAP struct cell {
    long v;
} cell_t;

int main(int argc, char **argv)
{
    cell_t *m = stm_alloc(sizeof *m);
    STM_ATOMIC {
        m->v = 5;
    }
    void *h = dlopen(argc > 1 ? argv[1] : "./libplug.so", RTLD_NOW);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    long (*run)(void) = (long (*)(void))dlsym(h, "plug_run");
    long lib = run();
    long a = 0;
    STM_ATOMIC {
        a = m->v;
    }
    printf("library saw %ld, program's object %ld\n", lib, a);
    return !(lib == 100 && a == 5);
}
