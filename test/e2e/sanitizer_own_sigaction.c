// A strict-C program may name a global of its own `sigaction` (docs/api.md); under
// -fsanitize=address or undefined (shared runtimes, as stmcc links them) the runtime's check
// for a sanitizer linked into its own object must not take that for one: it refused such
// programs ("its sigaction replaced stmc's"), and a program linked with libstmc.so after a
// shared sanitizer runtime too.  The same check still refuses a runtime linked into the
// program by hand (e2e/sanitizer_signals.c).
// REQUIRES: stmc-runtime
// RUN: %stmcc -std=c11 -O2 -fsanitize=address %s -o %t.asan
// RUN: %run %t.asan | FileCheck %s
// RUN: %stmcc -std=c11 -O2 -fsanitize=undefined %s -o %t.ubsan
// RUN: %run %t.ubsan | FileCheck %s
// CHECK: sigaction 42, v 1
#include <stdio.h>
#include <stmc.h>

int sigaction = 42;

int main(void)
{
    long STM_HEAP *v = stm_alloc(sizeof *v);
    STM_ATOMIC { (*v)++; }
    long r = 0;
    STM_ATOMIC { r = *v; }
    printf("sigaction %d, v %ld\n", sigaction, r);
    return 0;
}
