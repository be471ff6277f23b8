// No warning for a global read and then written in an atomic block after a call that made the
// block inevitable on every path to the store (a pthread mutex taken in the block, printf, an
// STM_EXTERNAL function): no abort can follow such a call, so nothing is left to undo.  Still
// warned: an update before the call, or after it on only one branch, and in a callee called
// before it; a callee called only after it is not followed, and a callee's own update after
// such a call in the callee is not warned.  At -O0 and -O2.
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK-DAG: {{.*}}diag_global_after_inevitable.c:[[@LINE+42]]:{{[0-9]+}}: warning: stmc: the global variable 'before' is read and then written in an atomic block
// CHECK-DAG: {{.*}}diag_global_after_inevitable.c:[[@LINE+48]]:{{[0-9]+}}: warning: stmc: the global variable 'branch' is read and then written in an atomic block
// CHECK-DAG: {{.*}}diag_global_after_inevitable.c:[[@LINE+17]]:{{[0-9]+}}: warning: stmc: the global variable 'early' is read and then written in 'bump_early', which the atomic block
// CHECK: 3 warnings generated.
#include <pthread.h>
#include <stdio.h>
#include <stmc.h>

typedef STM_HEAP struct acct {
    long balance;
} acct_t;

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long guarded, before, branch, early, late, inner, printed, ext;

STM_EXTERNAL void log_line(const char *s);

__attribute__((noinline)) void bump_early(void)
{
    early++;
}

__attribute__((noinline)) void bump_late(void)
{
    late++;
}

__attribute__((noinline)) void bump_inner(void)
{
    printf("x\n");
    inner = inner * 2; // after the callee's own printf: not warned
}

void work(acct_t *a, int c)
{
    STM_ATOMIC {
        a->balance++;
        pthread_mutex_lock(&m);
        guarded++; // after the lock: not warned
        pthread_mutex_unlock(&m);
    }
    STM_ATOMIC {
        before++; // before the call that makes the block inevitable: warned
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    STM_ATOMIC {
        if (c)
            printf("%ld\n", a->balance);
        branch++; // the call is on one path only: warned
    }
    STM_ATOMIC {
        bump_early(); // called before the block is inevitable: warned in the callee
        printf("%ld\n", a->balance);
        bump_late(); // called after: not followed
        printed += a->balance;
    }
    STM_ATOMIC {
        log_line("y");
        ext = ext + a->balance; // after an STM_EXTERNAL call: not warned
    }
    STM_ATOMIC {
        bump_inner();
    }
}
