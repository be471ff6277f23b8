// <stmc.h> draws no warning at -Weverything, also where its macros expand: its _stm_/_STMC_
// names are the implementation's (reserved identifiers, which clang warned about 56 times for
// an empty program), its inline barriers declare after statements (C99), and clang 22 calls
// STM_ATOMIC's __COUNTER__ a C2y extension (-Wc2y-extensions, which -pedantic turns on: a
// warning at every block; the macro no longer uses it).  Nested blocks draw no -Wshadow for the
// macro's own variables, also in a macro's argument.
// RUN: %stmcc -O2 -Weverything -Werror -c %s -o /dev/null
// RUN: %stmcc --no-stm -O2 -Weverything -Werror -c %s -o /dev/null
// RUN: %stmcc -std=c11 -pedantic -Wall -Wextra -Wshadow -O2 -Werror -c %s -o /dev/null
// RUN: %stmcc --no-stm -std=c11 -pedantic -Wall -Wextra -Wshadow -O2 -Werror -c %s -o /dev/null
#include <stmc.h>

#define RUN(stmt) stmt

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
        STM_ATOMIC {
            c->v += r;
        }
    }
    if (r > 1)
        STM_ATOMIC {
            c->v = 0;
        }
    else
        r = 0;
    RUN(STM_ATOMIC { RUN(STM_ATOMIC { c->v += 2; }) })
    stm_safepoint();
    return r;
}
