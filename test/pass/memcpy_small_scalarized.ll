; A memcpy of at most 64 constant bytes between heap objects (a struct assignment) becomes
; loads and then stores of 8, 4, 2 and 1 bytes, each instrumented like any access (inline read
; and write barriers), not an _stm_memcpy_hh call; -stmc-scalarize-mem=0 keeps the call.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-scalarize-mem=0 -S < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -stmc-report -disable-output < %s 2>&1 | FileCheck %s --check-prefix=REPORT

define void @f(ptr addrspace(256) %d, ptr addrspace(256) %s) {
; CHECK-LABEL: define void @f(
; CHECK-NOT: call void @_stm_memcpy
; CHECK:     load i64, ptr addrspace(256) %s, align 8
; CHECK:     load i64, ptr addrspace(256) %{{.*}}, align 8
; CHECK:     load i32, ptr addrspace(256) %{{.*}}, align 8
; CHECK:     load i16, ptr addrspace(256) %{{.*}}, align 4
; CHECK:     call void @_stm_write_slow(
; CHECK:     store i64 %{{.*}}, ptr addrspace(256) %d, align 8
; CHECK:     store i16 %{{.*}}, ptr addrspace(256) %{{.*}}, align 4
; CHECK-NOT: call void @llvm.memcpy
; CHECK:     ret void
; OFF-LABEL: define void @f(
; OFF:       call void @_stm_memcpy_hh(i64 %{{.*}}, i64 %{{.*}}, i64 22, ptr @.stmc.site)
  call void @llvm.memcpy.p256.p256.i64(ptr addrspace(256) align 8 %d, ptr addrspace(256) align 8 %s, i64 22, i1 false)
  ret void
}

; 65 bytes: above the threshold, the runtime call.
define void @g(ptr addrspace(256) %d, ptr addrspace(256) %s) {
; CHECK-LABEL: define void @g(
; CHECK:     call void @_stm_memcpy_hh(i64 %{{.*}}, i64 %{{.*}}, i64 65, ptr @.stmc.site)
  call void @llvm.memcpy.p256.p256.i64(ptr addrspace(256) align 8 %d, ptr addrspace(256) align 8 %s, i64 65, i1 false)
  ret void
}

; volatile: the call (the runtime's copy accesses each byte once).
define void @h(ptr addrspace(256) %d, ptr addrspace(256) %s) {
; CHECK-LABEL: define void @h(
; CHECK:     call void @_stm_memcpy_hh(i64 %{{.*}}, i64 %{{.*}}, i64 16, ptr @.stmc.site)
  call void @llvm.memcpy.p256.p256.i64(ptr addrspace(256) align 8 %d, ptr addrspace(256) align 8 %s, i64 16, i1 true)
  ret void
}

; REPORT: small memory intrinsics made loads and stores 1

declare void @llvm.memcpy.p256.p256.i64(ptr addrspace(256), ptr addrspace(256), i64, i1)
