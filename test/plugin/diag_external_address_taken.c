// The address of a function stmc did not compile (a C library function that is no pure one,
// an STM_EXTERNAL function) taken where the program may call through it is warned about: a
// call through the pointer is taken for a call into code stmc compiled, so it is no external
// call (a block does not become inevitable and its retry repeats the output; outside blocks
// a lock taken through it deadlocked).  Not warned: direct calls, an address handed straight
// to the C library (qsort's comparator, atexit's handler) or to the runtime (stm_on_commit's
// callback), one only compared, pure library functions (strlen), and the program's own
// functions.
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK-DAG: warning: {{.*}}diag_external_address_taken.c: global 'lock_ops': stmc: the address of 'pthread_mutex_lock', a function stmc did not compile, is taken here
// CHECK-DAG: warning: {{.*}}diag_external_address_taken.c: global 'lock_ops': stmc: the address of 'pthread_mutex_unlock'
// CHECK-DAG: {{.*}}diag_external_address_taken.c:[[@LINE+29]]:{{[0-9]+}}: warning: stmc: the address of 'puts', a function stmc did not compile, is taken here
// CHECK-DAG: {{.*}}diag_external_address_taken.c:[[@LINE+29]]:{{[0-9]+}}: warning: stmc: the address of 'log_line', a function stmc did not compile, is taken here
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stmc.h>

typedef STM_HEAP struct c { long v; } c_t;
STM_EXTERNAL void log_line(const char *s);

static int (*lock_ops[2])(pthread_mutex_t *) = {pthread_mutex_lock, pthread_mutex_unlock};
static size_t (*len_fn)(const char *) = strlen;
static int (*volatile say)(const char *);
static void (*volatile logger)(const char *);

static int by_value(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void bye(void) {}
static void mine(const char *s) { (void)s; }

void run(c_t *g, int *v, int n)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    lock_ops[0](&m);
    lock_ops[1](&m);
    qsort(v, (size_t)n, sizeof *v, by_value);
    atexit(bye);
    puts("direct");
    log_line("direct");
    say = puts;
    logger = log_line;
    logger = mine;
    STM_ATOMIC { g->v += (long)len_fn("x"); }
    say("through a pointer");
    STM_ATOMIC { stm_on_commit(free, NULL); }
    if ((void (*)(void *))logger == free)
        puts("never");
}
