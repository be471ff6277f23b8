; llvm.memset of a constant length on the STM heap (what `= {0}` becomes): _stm_memset_h.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %d) {
; CHECK-LABEL: define void @f(
; CHECK:     [[A:%.*]] = ptrtoint ptr addrspace(256) %d to i64
; CHECK:     call void @_stm_memset_h(i64 [[A]], i8 0, i64 4096, ptr @.stmc.site)
; CHECK-NOT: call void @llvm.memset
  call void @llvm.memset.p256.i64(ptr addrspace(256) %d, i8 0, i64 4096, i1 false)
  ret void
}
