/* A shared library with atomic blocks (built with stmcc -shared), for stmcc_shared.test. */
#include <stmc.h>

typedef STM_HEAP struct cell {
    long v;
} cell_t;
static cell_t *c;

long plug_run(void)
{
    long v = 0;
    c = stm_alloc(sizeof *c);
    STM_ATOMIC {
        c->v = 100;
        v = c->v;
    }
    return v;
}
