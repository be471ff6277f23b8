; A small memset of heap memory becomes stores of the byte repeated (a multiply by
; 0x0101...01 for a byte known only at run time), each with its write barrier.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-scalarize-mem=0 -S < %s | FileCheck %s --check-prefix=OFF

define void @f(ptr addrspace(256) %d, i8 %v) {
; CHECK-LABEL: define void @f(
; CHECK:     [[W:%.*]] = zext i8 %v to i64
; CHECK:     [[S:%.*]] = mul i64 [[W]], 72340172838076673
; CHECK:     [[H:%.*]] = zext i8 %v to i32
; CHECK:     [[T:%.*]] = mul i32 [[H]], 16843009
; CHECK:     store i64 [[S]], ptr addrspace(256) %d, align 16
; CHECK:     store i32 [[T]], ptr addrspace(256) %{{.*}}, align 8
; CHECK-NOT: call void @_stm_memset_h
; OFF-LABEL: define void @f(
; OFF:       call void @_stm_memset_h(i64 %{{.*}}, i8 %v, i64 12, ptr @.stmc.site)
  call void @llvm.memset.p256.i64(ptr addrspace(256) align 16 %d, i8 %v, i64 12, i1 false)
  ret void
}

define void @g(ptr addrspace(256) %d) {
; CHECK-LABEL: define void @g(
; CHECK:     store i64 0, ptr addrspace(256) %d, align 8
; CHECK:     store i8 0, ptr addrspace(256) %{{.*}}, align 8
; CHECK-NOT: call void @_stm_memset_h
  call void @llvm.memset.p256.i64(ptr addrspace(256) align 8 %d, i8 0, i64 9, i1 false)
  ret void
}

declare void @llvm.memset.p256.i64(ptr addrspace(256), i8, i64, i1)
