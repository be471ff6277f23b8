// A project header included by a system header is the project's, not the C library's:
// CMake's precompiled-header file (target_precompile_headers) begins with
// #pragma clang system_header and includes the project's headers, and clang gives an included
// file its includer's kind.  Their functions were taken for library functions: a heap pointer
// passed to one was an error ("passed to the library function 'bump'") and a call to one made
// the block inevitable (found by a review helper).  The same for a header next to a header
// that marks itself with #pragma GCC system_header and includes it with quotes (clang copies
// the includer's kind to it too).  The C library's functions through the same files stay
// external (close: _stm_external_enter), with the precompiled header as CMake builds it and
// with the file included as text.
// RUN: rm -rf %t && mkdir -p %t
// RUN: printf '#pragma clang system_header\n#include "%S/Inputs/pch/api.h"\n#include <unistd.h>\n' > %t/cmake_pch.h
// RUN: printf '/* generated */\n' > %t/cmake_pch.h.c
// RUN: %stmcc -O2 -Xclang -emit-pch -Xclang -include -Xclang %t/cmake_pch.h -x c-header -c %t/cmake_pch.h.c -o %t/cmake_pch.h.pch
// RUN: %stmcc -O2 -Werror -Xclang -include-pch -Xclang %t/cmake_pch.h.pch -Xclang -include -Xclang %t/cmake_pch.h -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -Werror -include %t/cmake_pch.h -S -emit-llvm %s -o - | FileCheck %s
// RUN: mkdir -p %t/inc && cp %S/Inputs/pch/api.h %t/inc/api.h
// RUN: printf '#pragma GCC system_header\n#include "api.h"\n#include <unistd.h>\n' > %t/inc/wrap.h
// RUN: %stmcc -O2 -Werror -DWRAP -I%t/inc -S -emit-llvm %s -o - | FileCheck %s
// CHECK-LABEL: define {{.*}}@run(
// CHECK-NOT: _stm_external_enter
// CHECK: call void @bump(
// CHECK-NOT: _stm_external_enter
// CHECK: call void @tick(
// CHECK: call void @_stm_external_enter(
// CHECK-NEXT: call i32 @close(
#ifdef WRAP
#include "wrap.h"
#else
#include "Inputs/pch/api.h"
#include <unistd.h>
#endif

long run(ctr_t *c, int fd)
{
    STM_ATOMIC {
        bump(c);
        tick();
        close(fd);
    }
    return c->n;
}
