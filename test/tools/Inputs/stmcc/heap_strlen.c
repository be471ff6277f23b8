/* A heap pointer passed to strlen: an error of stmc's pass (an LLVM pass, not the front end). */
#include <stmc.h>
#include <string.h>
typedef STM_HEAP struct s { char name[16]; } s_t;
size_t name_length(s_t *p) { return strlen(p->name); }
