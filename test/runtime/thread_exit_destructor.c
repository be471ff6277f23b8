// A thread-specific data destructor that touches the heap runs after the runtime's own
// (destructors run in no set order): the thread takes a segment again at exit.  The runtime's
// destructor sets its key again, so the next round of destructors gives that segment back.
// Before, each such thread kept a segment for good, and with STM_SEGMENTS=2 the program hung
// after the first thread (with 8 segments, after the eighth).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=2 timeout 60 %t | FileCheck %s
// RUN: env STM_SEGMENTS=8 timeout 60 %t | FileCheck %s
// RUN: timeout 60 %t | FileCheck %s
// CHECK: after 12 threads: 12
#include "test.h"

static int64_t STM_HEAP *counter;
static pthread_key_t key;

static void on_exit_key(void *p)
{
    (void)p;
    STM_ATOMIC {
        WR(*counter, RD(*counter) + 1);
    }
}

static void *thread_fn(void *arg)
{
    (void)arg;
    pthread_setspecific(key, (void *)1);
    return NULL;
}

int main(void)
{
    STM_ATOMIC {
        counter = stm_alloc(sizeof *counter);
    }
    pthread_key_create(&key, on_exit_key);
    for (int i = 0; i < 12; i++) {
        pthread_t t;
        pthread_create(&t, NULL, thread_fn, NULL);
        pthread_join(t, NULL);
    }
    int64_t v = 0;
    STM_ATOMIC {
        v = RD(*counter);
    }
    printf("after 12 threads: %lld\n", (long long)v);
    return v != 12;
}
