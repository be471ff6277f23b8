#include "pch_common.h"
int main(void) {
    box_t *b = stm_alloc(sizeof *b);
    for (int i = 0; i < 42; i++) bump(b);
    long v;
    STM_ATOMIC { v = b->v; }
    printf("hello from stmc: %ld\n", v);
    return v != 42;
}
