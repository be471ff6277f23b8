#pragma once
#include <stmc.h>
#include <stdio.h>
typedef STM_HEAP struct box { long v; } box_t;
static inline void bump(box_t *b) { STM_ATOMIC { b->v += 1; } }
