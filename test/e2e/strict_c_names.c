// In strict C (-std=c11) POSIX's names are the program's: one that defines its own sigset,
// siglongjmp or siginterrupt still links (the runtime's interposers of those names
// are weak, and signal() does not go through the program's sigaction; before, "multiple
// definition of `sigset'").
// REQUIRES: stmc-runtime
// RUN: %stmcc -std=c11 -O2 %s -o %t
// RUN: %run %t | FileCheck %s
// CHECK: handler ran 1
// CHECK: sigset 7, siglongjmp 9, siginterrupt 10
#include <stmc.h>
#include <signal.h>
#include <stdio.h>

long sigset = 7;
long siglongjmp = 9;
long siginterrupt(long x) { return x; }

static volatile sig_atomic_t ran;
static void on_int(int sig)
{
    (void)sig;
    ran++;
}

int main(void)
{
    signal(SIGINT, on_int);
    raise(SIGINT);
    printf("handler ran %d\n", (int)ran);
    long STM_HEAP *p = stm_alloc(sizeof *p);
    STM_ATOMIC { *p = siginterrupt(10); }
    printf("sigset %ld, siglongjmp %ld, siginterrupt %ld\n", sigset, siglongjmp, *p);
    return 0;
}
