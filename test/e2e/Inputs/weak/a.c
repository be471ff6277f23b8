/* weak_readonly_clone.test: a weak rd() (overridden by b.c's) called by use(). */
#include <stmc.h>
typedef struct { long v; } cell_t;
__attribute__((weak)) long rd(cell_t STM_HEAP *c) { return c->v; }
long use(cell_t STM_HEAP *c) { return rd(c) + 1; }
