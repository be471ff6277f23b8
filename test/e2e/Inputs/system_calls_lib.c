/* A library built by stmcc -shared for e2e/system_calls.c: its constructor allocates and fills a
 * heap object. */
#include <stmc.h>
typedef STM_HEAP struct { long magic; } tab_t;
static tab_t *tab;
__attribute__((constructor)) static void init(void)
{
    tab = stm_alloc(sizeof *tab);
    tab->magic = 42;
}
long lib_magic(void) { return tab->magic; }
