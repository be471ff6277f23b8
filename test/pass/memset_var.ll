; llvm.memset of a variable i32 length: the length is widened to i64.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %d, i8 %v, i32 %n) {
; CHECK-LABEL: define void @f(
; CHECK:     [[N:%.*]] = zext i32 %n to i64
; CHECK:     call void @_stm_memset_h(i64 %{{.*}}, i8 %v, i64 [[N]], ptr @.stmc.site)
; CHECK-NOT: call void @llvm.memset
  call void @llvm.memset.p256.i32(ptr addrspace(256) %d, i8 %v, i32 %n, i1 false)
  ret void
}
