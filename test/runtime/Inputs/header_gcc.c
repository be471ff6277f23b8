/* runtime/header_gcc.test: a file GCC compiles that passes heap pointers on. */
#include <stmc.h>

long STM_HEAP *make(void)
{
    return stm_alloc(sizeof(long));
}
