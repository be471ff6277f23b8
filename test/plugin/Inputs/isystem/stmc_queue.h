/* For plugin/diag_isystem_library.c: the header of a library built with stmc, as an installed
 * package would ship it. */
#include <stmc.h>
struct queue { long n; };
void queue_push(struct queue STM_HEAP *q, long v);
