// Misuse: a heap access without a barrier in a thread that holds no segment yet.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: heap access at offset 0x{{[0-9a-f]+}} without a barrier in a thread that holds no segment
// CHECK-NOT: UNREACHED
#include "test.h"

static int64_t STM_HEAP *p;
static void *child(void *arg)
{
    (void)arg;
    printf("%lld\n", (long long)*p);   /* no stm_read: %gs is still the dummy segment */
    printf("UNREACHED\n");
    return NULL;
}

int main(void)
{
    p = stm_alloc(16);
    pthread_t t;
    pthread_create(&t, NULL, child, NULL);
    pthread_join(t, NULL);
    return 0;
}
