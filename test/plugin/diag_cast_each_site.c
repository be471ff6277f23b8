// Each cast of a heap pointer to a plain pointer is warned about at its own line, at -O0 and
// -O2 alike.  Before, at -O1 and above the pass's early CSE merged the casts of one pointer
// value (p, and p->name at offset 0) into the first, and only that one was warned about
// (found by a review helper).  Not warned: a cast only passed through (pthread_create's
// argument), at both levels.
// RUN: %stmcc -O0 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="cast to a plain"
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="cast to a plain"
// CHECK-DAG: {{.*}}diag_cast_each_site.c:[[@LINE+18]]:{{[0-9]+}}: warning: stmc: STM heap pointer cast to a plain pointer
// CHECK-DAG: {{.*}}diag_cast_each_site.c:[[@LINE+18]]:{{[0-9]+}}: warning: stmc: STM heap pointer cast to a plain pointer
// CHECK-DAG: {{.*}}diag_cast_each_site.c:[[@LINE+18]]:{{[0-9]+}}: warning: stmc: STM heap pointer cast to a plain pointer
// CHECK-DAG: {{.*}}diag_cast_each_site.c:[[@LINE+18]]:{{[0-9]+}}: warning: stmc: STM heap pointer cast to a plain pointer
#include <pthread.h>
#include <string.h>
#include <stmc.h>

typedef STM_HEAP struct rec {
    char name[16];
    int vals[4];
} rec_t;

static void *worker(void *arg) { return arg; }

size_t use(rec_t *p, char *buf)
{
    pthread_t t;
    size_t n = strlen((const char *)p->name);
    int c = memcmp((void *)p, buf, 4);
    memcpy(buf, (char *)p->name, 4);
    memset((void *)p->vals, 0, sizeof p->vals);
    pthread_create(&t, NULL, worker, (void *)p);
    return n + (size_t)c;
}
