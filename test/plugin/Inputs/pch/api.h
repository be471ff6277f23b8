#pragma once
/* A project header that CMake's precompiled-header file includes (system_header_inherited.c). */
#include <stmc.h>
typedef STM_HEAP struct ctr {
    long n;
} ctr_t;
void bump(ctr_t *c);
void tick(void);
