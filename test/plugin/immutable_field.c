// STM_IMMUTABLE fields: a load gets no read marker (only the test that a transaction runs), a store calls _stm_write_immutable (checked
// under STM_DEBUG=1, see immutable_debug.c); the other field is barriered as usual.  The
// annotation intrinsics are consumed.
// RUN: %stmcc -O0 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm %s -o /dev/null -Rpass=stm 2>&1 | FileCheck --check-prefix=REMARK %s
// CHECK-LABEL: define {{.*}} @get_id(
// CHECK:       icmp eq i8 %{{.*}}, 0
// CHECK-NOT:   store i8
// CHECK:       ret
// CHECK-LABEL: define {{.*}} @get_val(
// CHECK:       call void @_stm_read_slow(
// CHECK-LABEL: define {{.*}} @set_id(
// CHECK-NOT:   call void @_stm_write_slow(
// CHECK:       call void @_stm_write_immutable(
// CHECK-NOT:   call void @_stm_write_slow(
// CHECK:       ret
// CHECK-NOT:   llvm.ptr.annotation
// REMARK: immutable_field.c:[[#@LINE+12]]:70: remark: read barrier elided: stm_immutable field
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && %run %t | FileCheck --check-prefix=OUT %s
// OUT: 7 42
#include <stmc.h>
#include <stdio.h>

typedef struct obj {
  long id STM_IMMUTABLE;
  long val;
} obj_t;

__attribute__((noinline)) long get_id(obj_t STM_HEAP *o) { return o->id; }
__attribute__((noinline)) long get_val(obj_t STM_HEAP *o) { return o->val; }
__attribute__((noinline)) void set_id(obj_t STM_HEAP *o, long v) { o->id = v; }

int main(void) {
  obj_t STM_HEAP *o = stm_alloc(sizeof *o);
  set_id(o, 7);
  o->val = 42;
  printf("%ld %ld\n", get_id(o), get_val(o));
  return 0;
}
