// Builtins that reach memory through an intrinsic the pass does not instrument are an error
// with file:line when their pointer is an STM heap pointer, at -O0 and -O2.  Before, they
// compiled without a word: x86's gather/scatter and xsave builtins
// addressed the heap offset as a plain pointer (a SIGSEGV blamed on "code stmc did not
// compile"; elsewhere another mapping's memory), and the matrix builtins (-fenable-matrix)
// became %gs loads and stores after the pass, without barriers (a review: the other thread saw
// none of the writes).  The masked loads and stores of AVX-512 are instrumented instead
// (pass/masked_access.ll, e2e/masked_vector_access.c), and the same builtins on plain memory
// are fine.  (Builtins whose parameter is a plain pointer, AVX2's maskload for one, take a cast
// from the heap pointer, which is warned about as any such cast.)
// RUN: not %stmcc -O0 -fenable-matrix -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not %stmcc -O2 -fenable-matrix -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: %stmcc -O2 -fenable-matrix -c -DONLY_FINE %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=FINE --allow-empty
// CHECK-DAG: {{.*}}diag_untracked_intrinsic.c:[[@LINE+20]]:{{[0-9]+}}: error: stmc: the intrinsic 'llvm.x86.avx512.mask.gather.dpi.512' accesses memory through an STM heap pointer
// CHECK-DAG: {{.*}}diag_untracked_intrinsic.c:[[@LINE+24]]:{{[0-9]+}}: error: stmc: the intrinsic 'llvm.x86.avx512.mask.scatter.dpi.512'
// CHECK-DAG: {{.*}}diag_untracked_intrinsic.c:[[@LINE+28]]:{{[0-9]+}}: error: stmc: the intrinsic 'llvm.x86.xsave'
// CHECK-DAG: {{.*}}diag_untracked_intrinsic.c:[[@LINE+32]]:{{[0-9]+}}: error: stmc: the intrinsic 'llvm.matrix.column.major.load
// CHECK-DAG: {{.*}}diag_untracked_intrinsic.c:[[@LINE+32]]:{{[0-9]+}}: error: stmc: the intrinsic 'llvm.matrix.column.major.store
// CHECK: 5 errors generated.
// FINE-NOT: error:
#include <stmc.h>

typedef int v16si __attribute__((vector_size(64)));
typedef float m4x4 __attribute__((matrix_type(4, 4)));

#ifdef ONLY_FINE
#define HEAP
#else
#define HEAP STM_HEAP
#endif

__attribute__((target("avx512f"))) v16si gather(int HEAP *p, v16si idx)
{
    return __builtin_ia32_gathersiv16si((v16si){0}, (const void HEAP *)p, idx, 0xffff, 4);
}

__attribute__((target("avx512f"))) void scatter(int HEAP *p, v16si idx, v16si v)
{
    __builtin_ia32_scattersiv16si((void HEAP *)p, 0xffff, idx, v, 4);
}

__attribute__((target("xsave"))) void save(char HEAP *p)
{
    __builtin_ia32_xsave((void HEAP *)p, -1LL);
}

void transpose(float HEAP *p)
{
    m4x4 m = __builtin_matrix_column_major_load(p, 4, 4, 4);
    __builtin_matrix_column_major_store(__builtin_matrix_transpose(m), p, 4);
}
