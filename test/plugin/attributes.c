// STM_PURE and STM_EXTERNAL reach the pass through llvm.global.annotations: calls to an
// STM_EXTERNAL function are wrapped, calls to an STM_PURE one are not (and do not end
// same-granule elision); library I/O is wrapped; misplaced attributes are warned about.
// RUN: %stmcc -O2 -S -emit-llvm %s -o - 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=WARN %s < %t.err
// CHECK-LABEL: define {{.*}} @f(
// CHECK:      call void @_stm_external_enter(
// CHECK-NEXT: call void @legacy_io()
// CHECK-NEXT: call void @_stm_external_leave(
// CHECK:      call {{.*}} @hash(
// CHECK-NOT:  call void @_stm_read_slow(
// CHECK:      call void @_stm_external_enter(
// CHECK-NEXT: call {{.*}} @puts(
// CHECK-NEXT: call void @_stm_external_leave(
// WARN: warning: 'stm_immutable' attribute only applies to fields; ignored
// WARN: warning: 'stm_pure' attribute only applies to functions; ignored
#include <stmc.h>
#include <stdio.h>

void legacy_io(void) STM_EXTERNAL;
long hash(long) STM_PURE;
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
