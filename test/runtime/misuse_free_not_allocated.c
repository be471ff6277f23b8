// Misuse: stm_free of memory that is not an allocated object says what it may be: an object
// freed earlier in the same transaction (after the transaction allocated it), or a pointer
// past a small object (here onto the next, unallocated slot of its size class).  The message
// said only "an object that is not allocated", which read as a double free in both cases;
// then it began "double free:", which a pointer 16 bytes into a live 16-byte object (the next
// slot) is not (a docs review).  stm_realloc of such a pointer says the same.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: not --crash %run %t fresh_twice 2>&1 | FileCheck %s
// RUN: env STM_NO_ALLOC_FAST=1 not --crash %run %t fresh_twice 2>&1 | FileCheck %s
// RUN: not --crash %run %t next_slot 2>&1 | FileCheck %s
// RUN: not --crash %run %t realloc_next 2>&1 | FileCheck %s --check-prefix=REALLOC
// REALLOC: stmc: stm_realloc(0x{{[0-9a-f]+}}): not an allocated object (freed already; or a pointer into an object, or one that stm_alloc never returned)
// REALLOC-NOT: UNREACHED
// CHECK: stmc: stm_free(0x{{[0-9a-f]+}}): not an allocated object (freed already, also earlier in this transaction; or a pointer into an object, or one that stm_alloc never returned)
// CHECK-NOT: UNREACHED
#include "test.h"

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    SWITCH(1);
    BEGIN();
    stm_free(stm_alloc(16));         /* the class's free list gets room (the short paths) */
    int64_t STM_HEAP *p = stm_alloc(16);
    if (!strcmp(mode, "fresh_twice")) {
        stm_free(p);
        stm_free(p);
    } else if (!strcmp(mode, "realloc_next")) {
        stm_realloc(p + 2, 100);
    } else {
        stm_free(p + 2);             /* 16 bytes on: the next slot, never allocated */
    }
    printf("UNREACHED\n");
    return 0;
}
