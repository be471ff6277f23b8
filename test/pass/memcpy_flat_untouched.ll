; A memcpy between plain pointers is left alone.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr %d, ptr %s) {
; CHECK-LABEL: define void @f(
; CHECK:     call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 1000, i1 false)
; CHECK-NOT: call void @_stm_memcpy
; CHECK:     ret void
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 1000, i1 false)
  ret void
}
