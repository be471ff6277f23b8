#include <stmc.h>
#include <stdio.h>
typedef STM_HEAP struct box { long v; } box_t;
int main(void) {
    box_t *b = stm_alloc(sizeof *b);
    STM_ATOMIC { b->v = 41; }
    STM_ATOMIC { b->v += 1; }
    long v;
    STM_ATOMIC { v = b->v; }
    printf("hello from stmc: %ld\n", v);
    return v == 42 ? 0 : 1;
}
