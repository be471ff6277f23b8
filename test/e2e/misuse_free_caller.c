// Misuse of stm_free and stm_realloc: the message names the caller as addr2line takes it (the
// object and the address in it), so that the line of the faulty call can be found without a
// debugger; addr2line on it gives this file and the line of the call.  (Before, the message
// gave only the heap offset.)
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: not --crash %run %t free 2>%t.free
// RUN: FileCheck %s --check-prefix=FREE < %t.free
// RUN: sh -c "$(sed -n 's/.*(\(addr2line [^)]*\)).*/\1/p' %t.free)" | FileCheck %s --check-prefix=FREE-LINE
// RUN: not --crash %run %t realloc 2>%t.realloc
// RUN: FileCheck %s --check-prefix=REALLOC < %t.realloc
// RUN: sh -c "$(sed -n 's/.*(\(addr2line [^)]*\)).*/\1/p' %t.realloc)" | FileCheck %s --check-prefix=REALLOC-LINE
// FREE: stmc: double free: stm_free(0x{{[0-9a-f]+}}) of an object already freed; called from {{.*}} (addr2line -f -e {{.*}} 0x{{[0-9a-f]+}})
// FREE-LINE: misuse_free_caller.c:[[@LINE+18]]
// REALLOC: stmc: stm_realloc(0x{{[0-9a-f]+}}): not a pointer returned by stm_alloc (inside an object?); called from
// REALLOC-LINE: misuse_free_caller.c:[[@LINE+21]]
#include <stdio.h>
#include <string.h>
#include <stmc.h>

typedef STM_HEAP struct n { long v[4]; } n_t;

int main(int argc, char **argv)
{
    n_t *n = stm_alloc(sizeof(struct n));
    STM_ATOMIC {
        n->v[0] = 1;
    }
    if (argc > 1 && !strcmp(argv[1], "free")) {
        stm_free(n);
        STM_ATOMIC {
            stm_free(n);
        }
    } else {
        STM_ATOMIC {
            void STM_HEAP *inner = &n->v[2];
            (void)stm_realloc(inner, 64);
        }
    }
    puts("UNREACHED");
    return 0;
}
