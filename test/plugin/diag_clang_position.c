// The pass's diagnostics about an instruction are clang's own at its position: the position
// first (`file:line:col: warning: stmc:`, what editors and CI match), the source line and a
// caret, the group -Wpass-failed (`-Wno-pass-failed`, a `#pragma clang diagnostic` around the
// code), and a result in SARIF output (an error's build gave `"results":[]` before).
// RUN: %stmcc -O2 -c %s -o /dev/null 2>&1 | FileCheck %s
// RUN: %stmcc -O2 -c %s -o /dev/null -Wno-pass-failed 2>&1 | FileCheck --check-prefix=QUIET --allow-empty %s
// RUN: %stmcc -O2 -c %s -o /dev/null -DIGNORED 2>&1 | FileCheck --check-prefix=QUIET --allow-empty %s
// RUN: not %stmcc -O2 -c %s -o /dev/null -Werror 2>&1 | FileCheck --check-prefix=WERROR %s
// RUN: %stmcc -O2 -c %s -o /dev/null -Werror -Wno-error=pass-failed 2>&1 | FileCheck %s
// RUN: not %stmcc -O2 -c %s -o /dev/null -DLIBCALL -fdiagnostics-format=sarif 2>%t.sarif
// RUN: FileCheck --check-prefix=SARIF %s < %t.sarif
// IR input (what -save-temps compiles): no source to show, so the position leads the text.
// RUN: %stmcc -O2 -S -emit-llvm -Xclang -disable-llvm-passes -DLIBCALL %s -o %t.ll 2>/dev/null
// RUN: not %stmcc -O2 -c %t.ll -o /dev/null 2>&1 | FileCheck --check-prefix=IR %s
// IR: error: {{.*}}diag_clang_position.c:[[@LINE+33]]:36: stmc: an STM heap pointer is passed to the library function 'strlen'
// IR-NOT: in function
// CHECK: diag_clang_position.c:[[@LINE+23]]:24: warning: stmc: the global variable 'count' is read and then written in an atomic block{{.*}} [-Wpass-failed=stmc]
// CHECK-NEXT: {{ *}}[[@LINE+22]] | {{.*}}count = count + 1;
// CHECK-NEXT: {{^ *\| *\^$}}
// QUIET-NOT: warning
// WERROR: diag_clang_position.c:[[@LINE+19]]:24: error: stmc: the global variable 'count'{{.*}} [-Werror,-Wpass-failed=stmc]
// SARIF: "results":[{"level":"warning",{{.*}}"startLine":[[@LINE+18]]{{.*}}"text":"stmc: the global variable 'count'{{.*}}{"level":"error",{{.*}}"startLine":[[@LINE+26]]{{.*}}"text":"stmc: an STM heap pointer is passed to the library function 'strlen'
#include <stmc.h>
#include <string.h>

typedef STM_HEAP struct {
    char name[16];
    long n;
} obj_t;

static long count;

#ifdef IGNORED
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wpass-failed"
#endif
long f(obj_t *o)
{
    long r = 0;
    STM_ATOMIC { count = count + 1; r = o->n; }
    return r;
}
#ifdef IGNORED
#pragma clang diagnostic pop
#endif

#ifdef LIBCALL
size_t g(obj_t *o) { return strlen(o->name); }
#endif
