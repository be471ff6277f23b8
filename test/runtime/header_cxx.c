// The public headers compile as C11 (with -Wall -Wextra -Werror) and as C++17, with and without
// STMC_NO_STM.
// RUN: %clang -std=c11 -Wall -Wextra -Werror -fsyntax-only -I%stmc_include %s
// RUN: %clang -std=c11 -Wall -Wextra -Werror -fsyntax-only -DSTMC_NO_STM -I%stmc_include %s
// RUN: %clang -x c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I%stmc_include %s
// RUN: %clang -x c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -DSTMC_NO_STM -I%stmc_include %s
#define STMC_EXPLICIT_BARRIERS /* explicit barriers below: stmc.h does not warn */
#include <stmc.h>
#include <stmc/abi.h>
#include <stmc/stats.h>

int f(long STM_HEAP *p)
{
    STM_ATOMIC {
        stm_write(p, sizeof *p);
        *p = 1;
    }
    return stm_in_atomic();
}
