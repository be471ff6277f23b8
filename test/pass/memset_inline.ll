; llvm.memset.inline on the STM heap is lowered like memset (above -stmc-scalarize-mem's 64
; bytes, which become stores: pass/memset_small_scalarized.ll).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %d) {
; CHECK-LABEL: define void @f(
; CHECK:     call void @_stm_memset_h(i64 %{{.*}}, i8 7, i64 96, ptr @.stmc.site)
; CHECK-NOT: call void @llvm.memset
  call void @llvm.memset.inline.p256.i64(ptr addrspace(256) %d, i8 7, i64 96, i1 false)
  ret void
}
