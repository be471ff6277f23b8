/* A program that defines names the runtime uses internally (a global, functions): it must
 * link against libstmc.a and libstmc.so, and each side must keep its own definitions. */
#include <stmc.h>
#include <stdio.h>

int g_flags = 3;
int check_range(int x) { return x + 1; }
int alloc_setup(void) { return 7; }
long cur_seg(void) { return 100; }

int main(void)
{
    long STM_HEAP *p = stm_alloc(sizeof(long));
    STM_ATOMIC {
        *p = check_range(g_flags) + alloc_setup() + cur_seg();
    }
    printf("internal names: %ld\n", *p);
    return *p != 111;
}
