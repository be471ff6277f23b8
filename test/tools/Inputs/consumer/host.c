/* A program built by plain clang with the runtime from stmc::stmc: it dlopens a library built
 * by stmcc -shared (plug.c), which binds to this program's runtime. */
#define STMC_EXPLICIT_BARRIERS
#include <stmc.h>
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    long STM_HEAP *cell = stm_alloc(sizeof *cell);
    STM_STORE(*cell, 35);
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    long (*add)(long STM_HEAP *, long) = (long (*)(long STM_HEAP *, long))dlsym(h, "plug_add");
    printf("plug_add: %ld\n", add(cell, 7));
    return 0;
}
