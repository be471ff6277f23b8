// stm_on_abort callbacks run between two attempts of the block, outside any transaction:
// stm_in_atomic() is false there, I/O in the callback does not make the next attempt
// inevitable (before: a logging callback turned the retry inevitable, 2 runs instead of 7,
// and switched STM_INJECT_ABORTS testing off), and a heap access in it is reported (before: it
// joined the next attempt's transaction and was committed).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=5 %run %t quiet 2>&1 | FileCheck --check-prefix=RUNS %s
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=5 %run %t io 2>&1 | FileCheck --check-prefixes=RUNS,IO %s
// RUN: env STM_INJECT_ABORTS=1 STM_MAX_ABORTS=5 not --crash %run %t heap 2>&1 | FileCheck --check-prefix=HEAP %s
// IO: on_abort: in_atomic=0
// RUNS: runs 7 (inevitable: 0 0 0 0 0 0 1), aborts_test 5, q=1
// HEAP: stmc: an stm_on_abort callback touched the STM heap: it runs between two attempts of the block, outside any transaction
// HEAP-NOT: runs
#include <stmc.h>
#include <stdio.h>
#include <string.h>

static const char *mode;
static long STM_HEAP *cnt;

static void on_abort(void *arg)
{
    (void)arg;
    if (!strcmp(mode, "io"))
        fprintf(stderr, "on_abort: in_atomic=%d\n", stm_in_atomic());
    else if (!strcmp(mode, "heap"))
        *cnt += 100;
}

int main(int argc, char **argv)
{
    mode = argc > 1 ? argv[1] : "quiet";
    long STM_HEAP *q = stm_alloc(sizeof *q);
    cnt = stm_alloc(sizeof *cnt);
    volatile int runs = 0, inev[16] = {0}; /* volatile: they count attempts (not restored) */
    STM_ATOMIC {
        if (runs < 16)
            inev[runs] = stm_is_inevitable();
        runs++;
        stm_on_abort(on_abort, NULL);
        *q += 1;
    }
    struct stm_stats st;
    stm_stats_get(&st);
    printf("runs %d (inevitable:", runs);
    for (int i = 0; i < runs && i < 16; i++)
        printf(" %d", inev[i]);
    printf("), aborts_test %lu, q=%ld\n", (unsigned long)st.aborts_test, *q);
    return 0;
}
