; llvm.memcpy with a const length, heap <- flat: replaced by _stm_memcpy_hf (the backend
; cannot lower memory intrinsics in address space 256).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %d, ptr %s, i64 %n) {
; CHECK-LABEL: define void @f(
; CHECK:     call void @_stm_memcpy_hf(i64 %{{.*}}, ptr %s, i64 65536, ptr @.stmc.site)
; CHECK-NOT: call void @llvm.memcpy
; CHECK:     ret void
  call void @llvm.memcpy.p256.p0.i64(ptr addrspace(256) %d, ptr %s, i64 65536, i1 false)
  ret void
}
