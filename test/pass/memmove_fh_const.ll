; llvm.memmove with a const length, flat <- heap: replaced by _stm_memmove_fh (the backend
; cannot lower memory intrinsics in address space 256).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr %d, ptr addrspace(256) %s, i64 %n) {
; CHECK-LABEL: define void @f(
; CHECK:     call void @_stm_memmove_fh(ptr %d, i64 %{{.*}}, i64 65536, ptr @.stmc.site)
; CHECK-NOT: call void @llvm.memmove
; CHECK:     ret void
  call void @llvm.memmove.p0.p256.i64(ptr %d, ptr addrspace(256) %s, i64 65536, i1 false)
  ret void
}
