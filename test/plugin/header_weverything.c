// <stmc.h> draws no warning at -Weverything, also where its macros expand: its _stm_/_STMC_
// names are the implementation's (reserved identifiers, which clang warned about 56 times for
// an empty program), and its inline barriers declare after statements (C99).
// RUN: %stmcc -O2 -Weverything -Werror -c %s -o /dev/null
// RUN: %stmcc --no-stm -O2 -Weverything -Werror -c %s -o /dev/null
#include <stmc.h>

typedef STM_HEAP struct cell {
    long v;
} cell_t;

long bump(cell_t *c);
long bump(cell_t *c)
{
    long r = 0;
    STM_ATOMIC {
        c->v++;
        r = STM_LOAD(c->v);
    }
    stm_safepoint();
    return r;
}
