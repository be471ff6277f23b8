// A plain null-pointer dereference in a program linked with stmc crashes as it would without
// it: the runtime's SIGSEGV handler names heap-pointer misuse only for addresses where heap
// objects can be (from STMC_HEAP_START up); it blamed every null dereference on stmc ("heap
// pointer 0x0 dereferenced in a thread with no stmc segment").
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: not --crash %run %t 2>&1 | FileCheck %s --allow-empty --implicit-check-not=stmc
#include "test.h"

int main(int argc, char **argv)
{
    (void)argv;
    long STM_HEAP *h = stm_alloc(sizeof *h); /* the runtime is in, this thread has a segment */
    WR(*h, 1);
    int *volatile p = argc > 5 ? malloc(4) : NULL;
    return *p;
}
