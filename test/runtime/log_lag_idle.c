// A thread idle between transactions in a loop that reaches no safe point, with private pages
// (it wrote), holds its snapshot and so pins the commit log: the log trim only asked it to let
// go at its next safe point, which never came, and the log grew by one entry a commit (2 M
// commits: 455 MB).  Now the trim lets the snapshot of a lagging idle segment go on its
// behalf (counter quiesces_remote) and resets it (lag_resets): the log stays near STM_LOG_MAX.
// STM_NO_REMOTE_QUIESCE=1 shows the old state.  The idle thread then reads what was written.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s
// RUN: env STM_NO_REMOTE_QUIESCE=1 %run %t | FileCheck %s --check-prefix=OFF
// CHECK: log bounded: yes, let go: yes, reset: yes
// CHECK-NEXT: idle thread then read 100000: yes
// OFF: log bounded: no, let go: no, reset: no
// OFF-NEXT: idle thread then read 100000: yes
#include "test.h"

#define N 4096
#define COMMITS 100000

static int64_t STM_HEAP *arr;
static volatile int stop;
static volatile int64_t seen = -1;

static void *idle_thread(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        WR(arr[1], RD(arr[1]) + 1); /* a write: its page becomes private here */
    }
    while (!stop) /* no safe point, no external call */
        __builtin_ia32_pause();
    int64_t v = -1;
    STM_ATOMIC {
        v = RD(arr[0]);
    }
    seen = v;
    return NULL;
}

int main(void)
{
    STM_ATOMIC {
        arr = stm_alloc(N * sizeof(int64_t));
    }
    pthread_t t;
    pthread_create(&t, NULL, idle_thread, NULL);
    sleep_ms(50);
    struct stm_stats before = stats();
    for (long i = 1; i <= COMMITS; i++)
        STM_ATOMIC {
            WR(arr[0], i);
        }
    uint64_t len = _stm_test_log_length();
    struct stm_stats now = stats();
    printf("log bounded: %s, let go: %s, reset: %s\n", len < 3 * 4096 ? "yes" : "no",
           now.quiesces_remote > before.quiesces_remote ? "yes" : "no",
           now.lag_resets > before.lag_resets ? "yes" : "no");
    stop = 1;
    pthread_join(t, NULL);
    printf("idle thread then read %d: %s\n", COMMITS, seen == COMMITS ? "yes" : "no");
    return 0;
}
