/* weak_readonly_clone.test: the strong rd() the linker keeps. */
#include <stmc.h>
typedef struct { long v; } cell_t;
long rd(cell_t STM_HEAP *c) { return c->v * 100; }
