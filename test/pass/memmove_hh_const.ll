; llvm.memmove with a const length, heap <- heap: replaced by _stm_memmove_hh (the backend
; cannot lower memory intrinsics in address space 256).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %d, ptr addrspace(256) %s, i64 %n) {
; CHECK-LABEL: define void @f(
; CHECK:     call void @_stm_memmove_hh(i64 %{{.*}}, i64 %{{.*}}, i64 65536, ptr @.stmc.site)
; CHECK-NOT: call void @llvm.memmove
; CHECK:     ret void
  call void @llvm.memmove.p256.p256.i64(ptr addrspace(256) %d, ptr addrspace(256) %s, i64 65536, i1 false)
  ret void
}
