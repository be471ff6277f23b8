; A small memmove within the heap (overlapping ranges) becomes all its loads, then all its
; stores: the bytes stored are those that were there before, as memmove requires.  A memcpy
; from plain memory (a local struct) into the heap: plain loads, instrumented stores.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %p) {
; CHECK-LABEL: define void @f(
; CHECK:     [[A:%.*]] = load i64, ptr addrspace(256) %p, align 8
; CHECK:     [[B:%.*]] = load i64, ptr addrspace(256) %{{.*}}, align 8
; CHECK-NOT: store i64
; CHECK:     store i64 [[A]], ptr addrspace(256) %{{.*}}, align 8
; CHECK:     store i64 [[B]], ptr addrspace(256) %{{.*}}, align 8
; CHECK-NOT: call void @_stm_memmove
  %d = getelementptr inbounds i8, ptr addrspace(256) %p, i64 8
  call void @llvm.memmove.p256.p256.i64(ptr addrspace(256) align 8 %d, ptr addrspace(256) align 8 %p, i64 16, i1 false)
  ret void
}

define void @g(ptr addrspace(256) %d, ptr %s) {
; CHECK-LABEL: define void @g(
; CHECK:     load i64, ptr %s, align 4
; CHECK:     load i32, ptr %{{.*}}, align 4
; CHECK:     call void @_stm_write_slow(
; CHECK:     store i64 %{{.*}}, ptr addrspace(256) %d, align 4
; CHECK:     store i32 %{{.*}}, ptr addrspace(256) %{{.*}}, align 4
; CHECK-NOT: call void @_stm_memcpy
  call void @llvm.memcpy.p256.p0.i64(ptr addrspace(256) align 4 %d, ptr align 4 %s, i64 12, i1 false)
  ret void
}

declare void @llvm.memmove.p256.p256.i64(ptr addrspace(256), ptr addrspace(256), i64, i1)
declare void @llvm.memcpy.p256.p0.i64(ptr addrspace(256), ptr, i64, i1)
