; The late safety net (OptimizerLast) lowers address-space-256 memory intrinsics that
; optimisations created after stmc-instrument (e.g. loop idiom turning a zeroing loop into
; memset).  Nothing else changes.
; RUN: %opt_stm -passes=stmc-lower-late -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %d, ptr %s, i64 %n) {
; CHECK-LABEL: define void @f(
; CHECK:     call void @_stm_memset_h(i64 %{{.*}}, i8 0, i64 %n, ptr @.stmc.site)
; CHECK:     call void @_stm_memcpy_fh(ptr %s, i64 %{{.*}}, i64 64, ptr @.stmc.site)
; CHECK:     %v = load i64, ptr addrspace(256) %d
; CHECK-NOT: call void @_stm_read_slow
; CHECK-NOT: call void @llvm.mem
; CHECK:     ret void
  call void @llvm.memset.p256.i64(ptr addrspace(256) %d, i8 0, i64 %n, i1 false)
  call void @llvm.memcpy.p0.p256.i64(ptr %s, ptr addrspace(256) %d, i64 64, i1 false)
  %v = load i64, ptr addrspace(256) %d, align 8
  ret void
}
