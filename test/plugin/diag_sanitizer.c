// Sanitizers that cannot run stmc programs are refused with a message that says why, by the
// plugin when it compiles (clang -fplugin) and by stmcc, also for a link step alone (where the
// plugin does not run: the program would crash).  Each of them is tried through all three; a
// later -fno-sanitize= takes one back, a quoted flag in a response file counts, and address
// and undefined compile and link.  Without the refusal, thread, safe-stack and numerical
// programs crashed, memory ones crashed or reported false uses of uninitialised values,
// dataflow and hwaddress ones did not link (test/e2e/sanitizer_*.c run the supported ones).
// stmcc links the sanitizers' runtimes as shared libraries, so it refuses -static-libsan,
// -fsanitize=leak alone and -fsanitize=fuzzer at link time (static only; compiling with them
// is fine) and fuzzer-no-link without address, and reads response files as clang does:
// quotes, carriage returns, a byte-order mark, nested files named relative to the current
// directory (each of those let -fsanitize=thread through a link step), a file that names
// itself (read once on a chain: three self-references took minutes; clang reports them).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O1 -c %s -o %t.o
// RUN: for s in thread memory dataflow hwaddress safe-stack numerical; do \
// RUN:   not %clang -O1 -fplugin=%stmc_plugin -I%stmc_include -fsanitize=$s -c %s -o %t.s.o 2>&1; \
// RUN:   not %stmcc -O1 -fsanitize=address,$s -c %s -o %t.s.o 2>&1; \
// RUN:   not %stmcc -fsanitize=$s %t.o -o %t.s 2>&1; \
// RUN: done | FileCheck %s
// RUN: not %clang -O1 -fplugin=%stmc_plugin -I%stmc_include -fsanitize=kernel-memory -c %s -o %t.k.o 2>&1 | FileCheck --check-prefix=KMEM %s
// RUN: printf '"-fsanitize=thread"\n' > %t.rsp
// RUN: not %stmcc @%t.rsp %t.o -o %t.rsp.out 2>&1 | FileCheck --check-prefix=RSP %s
// RUN: printf -- '-fsanitize=thread\r\n' > %t.crlf.rsp
// RUN: not %stmcc @%t.crlf.rsp %t.o -o %t.rsp.out 2>&1 | FileCheck --check-prefix=RSP %s
// RUN: printf '\357\273\277-fsanitize=thread\n' > %t.bom.rsp
// RUN: not %stmcc @%t.bom.rsp %t.o -o %t.rsp.out 2>&1 | FileCheck --check-prefix=RSP %s
// RUN: rm -rf %t.dir && mkdir -p %t.dir/rsp && printf -- '-fsanitize=thread\n' > %t.dir/rsp/inner.rsp
// RUN: printf '@rsp/inner.rsp\n' > %t.dir/rsp/outer.rsp
// RUN: cd %t.dir && not %stmcc @rsp/outer.rsp %t.o -o %t.rsp.out 2>&1 | FileCheck --check-prefix=RSP %s
// RUN: printf '@%t.self.rsp @%t.self.rsp @%t.self.rsp -O1\n' > %t.self.rsp
// RUN: not %run %stmcc @%t.self.rsp -c %s -o %t.self.o 2>&1 | FileCheck --check-prefix=SELF %s
// RUN: not %stmcc -fsanitize=fuzzer %t.o -o %t.fuzz 2>&1 | FileCheck --check-prefix=FUZZ %s
// RUN: not %stmcc -fsanitize=fuzzer-no-link,undefined %t.o -o %t.fuzz 2>&1 | FileCheck --check-prefix=FUZZNL %s
// RUN: %stmcc -O1 -fsanitize=fuzzer-no-link,address %s -o %t.fuzz
// RUN: %run %t.fuzz
// RUN: not %stmcc -fsanitize=leak %t.o -o %t.leak 2>&1 | FileCheck --check-prefix=LEAK %s
// RUN: %stmcc -O1 -fsanitize=leak -c %s -o %t.leak.o
// RUN: not %stmcc -fsanitize=address -static-libsan %t.o -o %t.static 2>&1 | FileCheck --check-prefix=STATIC %s
// RUN: %stmcc -O1 -fsanitize=thread -fno-sanitize=thread -c %s -o %t.back.o
// RUN: %stmcc -O1 -fsanitize=memory,undefined -fno-sanitize=all -c %s -o %t.all.o
// RUN: %stmcc -O1 -fsanitize=address -fsanitize=leak -fsanitize=undefined %s -o %t.ok
// RUN: %run %t.ok
// RUN: %stmcc --no-stm -O1 -fsanitize=thread %s -o %t.nostm
// CHECK:      error: stmc: -fsanitize=thread is not supported with stmc: stmc's pthread_create wrapper bypasses
// CHECK-SAME: build with 'stmcc --no-stm' to run the program under it
// CHECK-NEXT: 1 error generated.
// CHECK-NEXT: stmcc: -fsanitize=thread is not supported with stmc (docs/api.md, "Sanitizers", says why); build with stmcc --no-stm
// CHECK-NEXT: stmcc: -fsanitize=thread is not supported with stmc
// CHECK-NEXT: error: stmc: -fsanitize=memory is not supported with stmc: it computes shadow addresses
// CHECK:      stmcc: -fsanitize=memory is not supported with stmc
// CHECK-NEXT: stmcc: -fsanitize=memory is not supported with stmc
// CHECK-NEXT: error: stmc: -fsanitize=dataflow is not supported with stmc: it renames calls
// CHECK-NOT:  --no-stm
// CHECK:      stmcc: -fsanitize=dataflow is not supported with stmc (docs/api.md, "Sanitizers", says why); -fsanitize=address and undefined work with stmc
// CHECK-NEXT: stmcc: -fsanitize=dataflow is not supported with stmc
// CHECK-NEXT: error: stmc: -fsanitize=hwaddress is not supported with stmc: it tags pointers
// CHECK:      stmcc: -fsanitize=hwaddress is not supported with stmc
// CHECK-NEXT: stmcc: -fsanitize=hwaddress is not supported with stmc
// CHECK-NEXT: error: stmc: -fsanitize=safe-stack is not supported with stmc: it moves an atomic block's frame
// CHECK:      stmcc: -fsanitize=safe-stack is not supported with stmc
// CHECK-NEXT: stmcc: -fsanitize=safe-stack is not supported with stmc
// CHECK-NEXT: error: stmc: -fsanitize=numerical is not supported with stmc: it keeps shadow values
// CHECK:      stmcc: -fsanitize=numerical is not supported with stmc
// CHECK-NEXT: stmcc: -fsanitize=numerical is not supported with stmc
// CHECK-NOT:  PLEASE submit a bug report
// KMEM: error: stmc: -fsanitize=memory is not supported with stmc
// RSP: stmcc: -fsanitize=thread is not supported with stmc
// LEAK: stmcc: -fsanitize=leak alone is not supported with stmc: its runtime exists only as a static library{{.*}}use -fsanitize=address
// STATIC: stmcc: -static-libsan is not supported with stmc
// FUZZ: stmcc: -fsanitize=fuzzer is not supported with stmc at link time
// FUZZNL: stmcc: -fsanitize=fuzzer-no-link links with stmc only together with -fsanitize=address
// SELF: recursive expansion
#include <stmc.h>

struct counter {
    long n;
};

int main(void)
{
    struct counter STM_HEAP *c = stm_alloc(sizeof *c);
    STM_ATOMIC { c->n++; }
    return (int)c->n - 1;
}
