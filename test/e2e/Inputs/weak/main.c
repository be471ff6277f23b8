/* weak_readonly_clone.test: use() outside blocks, in read-only blocks, in a writing one. */
#include <stmc.h>
#include <stdio.h>
typedef struct { long v; } cell_t;
long use(cell_t STM_HEAP *c);
int main(void) {
    cell_t STM_HEAP *c;
    STM_ATOMIC { c = stm_alloc(sizeof *c); c->v = 3; }
    long r1 = -1, r2 = -1, r3 = -1;
    r1 = use(c);                       /* outside blocks */
    for (int i = 0; i < 5; i++) { STM_ATOMIC { r2 = use(c); } }   /* read-only blocks -> unmarked attempts */
    STM_ATOMIC { r3 = use(c); c->v = 3; }                          /* writing block */
    printf("outside=%ld ro_block=%ld rw_block=%ld (expected 301 each)\n", r1, r2, r3);
    return !(r1 == 301 && r2 == 301 && r3 == 301);
}
