/* A shared library built by plain clang with explicit barriers that links stmc::stmc: it must
 * carry no copy of the runtime (the program's serves it). */
#define STMC_EXPLICIT_BARRIERS
#include <stmc.h>

long kv_get(long STM_HEAP *cell)
{
    return STM_LOAD(*cell);
}
