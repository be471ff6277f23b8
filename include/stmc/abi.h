/* stmc/abi.h - C declarations of the compiler-facing ABI, generated from stmc/abi.def.
 *
 * Not for users: instrumented code calls these; the runtime defines them.  Users who write
 * barriers by hand use stm_read()/stm_write() from <stmc.h> instead.
 */
#ifndef STMC_ABI_H
#define STMC_ABI_H

#include <stdint.h>
#include <stddef.h>
#include "layout.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The source position of a barrier: the pass emits one static record per instrumented site and
 * passes its address.  file may be "?" and line 0 when the module has no debug locations. */
struct _stm_site {
    const char *file;
    uint32_t line;
    uint32_t col;
};

#define STMC_T_VOID void
#define STMC_T_U8   uint8_t
#define STMC_T_U32  uint32_t
#define STMC_T_U64  uint64_t
#define STMC_T_PTR  void *
#define STMC_T_SITE const struct _stm_site *
#define STMC__ARGS_1(a)          STMC_T_##a
#define STMC__ARGS_2(a, b)       STMC_T_##a, STMC_T_##b
#define STMC__ARGS_3(a, b, c)    STMC_T_##a, STMC_T_##b, STMC_T_##c
#define STMC__ARGS_4(a, b, c, d) STMC_T_##a, STMC_T_##b, STMC_T_##c, STMC_T_##d
#define STMC__ARGS_5(a, b, c, d, e) STMC_T_##a, STMC_T_##b, STMC_T_##c, STMC_T_##d, STMC_T_##e
#define STMC_ABI_FN(name, ret, n, ...) STMC_T_##ret name(STMC__ARGS_##n(__VA_ARGS__));
#include "abi.def"
#undef STMC_ABI_FN

/* Referenced by every instrumented module: a link error here means the plugin and libstmc come
 * from different stmc versions. */
extern const int STMC_ABI_VERSION_IDENT;

#ifdef __cplusplus
}
#endif
#endif /* STMC_ABI_H */
