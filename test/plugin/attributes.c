// STM_PURE and STM_EXTERNAL reach the pass through llvm.global.annotations: calls to an
// STM_EXTERNAL function are wrapped, calls to an STM_PURE one are not; library I/O is wrapped;
// misplaced attributes are warned about.  An STM_PURE function that is only declared here may
// be compiled by stmc in another file with a loop, whose safe point can end the implicit
// transaction: the read after the call keeps its barrier (-stmc-pure-boundary-check=0, the old
// rule, elided it); after a call to a loop-free STM_PURE function of this file it is elided.
// RUN: %stmcc -O2 -S -emit-llvm %s -o - 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=WARN %s < %t.err
// RUN: %stmcc -O2 -S -emit-llvm %s -o - -mllvm -stmc-pure-boundary-check=0 2>/dev/null | FileCheck --check-prefix=OLD %s
// CHECK-LABEL: define {{.*}} @f(
// CHECK:      call void @_stm_external_enter(
// CHECK-NEXT: call void @legacy_io()
// CHECK-NEXT: call void @_stm_external_leave(
// CHECK:      call void @_stm_read_slow(
// CHECK:      call {{.*}} @hash(
// CHECK-NOT:  call void @_stm_external_enter(
// CHECK:      call void @_stm_read_slow(
// CHECK:      call void @_stm_external_enter(
// CHECK-NEXT: call {{.*}} @puts(
// CHECK-NEXT: call void @_stm_external_leave(
// CHECK-LABEL: define {{.*}} @g(
// CHECK:      call void @_stm_read_slow(
// CHECK:      call {{.*}} @mix(
// CHECK-NOT:  call void @_stm_read_slow(
// CHECK:      ret
// OLD-LABEL: define {{.*}} @f(
// OLD:       call {{.*}} @hash(
// OLD-NOT:   call void @_stm_read_slow(
// OLD:       call {{.*}} @puts(
// WARN: warning: 'stm_immutable' attribute only applies to fields; ignored
// WARN: warning: 'stm_pure' attribute only applies to functions; ignored
#include <stmc.h>
#include <stdio.h>

void legacy_io(void) STM_EXTERNAL;
long hash(long) STM_PURE;
__attribute__((noinline)) STM_PURE long mix(long x) { return x * 31 + 7; }
int not_a_field STM_IMMUTABLE;
struct s { int x STM_PURE; };

long f(long STM_HEAP *p) {
  legacy_io();
  long a = *p;
  long h = hash(a);
  long b = *p;
  puts("x");
  return a + b + h;
}

long g(long STM_HEAP *p) {
  long a = *p;
  long m = mix(a);
  long b = *p;
  return a + b + m;
}
