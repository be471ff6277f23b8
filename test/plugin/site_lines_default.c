// stmcc asks clang for line tables when the user gave no -g option, so every barrier's site
// record names its file and line; an explicit -g0 is respected (the records then say "?", 0).
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -g0 -S -emit-llvm %s -o - | FileCheck --check-prefix=G0 %s
// CHECK: c"{{.*}}site_lines_default.c\00"
// CHECK: @_stm_read_slow(i64 {{.*}}, i64 8, ptr {{.*}})
// G0-NOT: site_lines_default.c\00
// G0: c"?\00"
#include <stmc.h>

long get(long STM_HEAP *p) { return *p; }
