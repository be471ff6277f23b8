; A 32-byte vector load covers two or three granules: every one is marked.  A 16-byte aligned
; vector store covers exactly one.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %p, ptr addrspace(256) %q) {
; CHECK-LABEL: define void @f(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK:      call void @_stm_read_slow(i64 [[A]], i64 32,
; CHECK:      lshr i64 [[A]], 4
; CHECK:      store i8
; CHECK:      [[A16:%.*]] = add i64 [[A]], 16
; CHECK-NEXT: lshr i64 [[A16]], 4
; CHECK:      store i8
; CHECK:      [[A31:%.*]] = add i64 [[A]], 31
; CHECK-NEXT: lshr i64 [[A31]], 4
; CHECK:      store i8
; CHECK:      %v = load <8 x i32>, ptr addrspace(256) %p, align 4
; CHECK:      [[B:%.*]] = ptrtoint ptr addrspace(256) %q to i64
; CHECK:      [[WM:%stmc.wm[0-9]*]] = load i8
; CHECK-NEXT: icmp ne i8 [[WM]]
; CHECK-NEXT: br i1
; CHECK:      call void @_stm_write_slow(i64 [[B]], i64 16,
; CHECK:      store <4 x i32> %w, ptr addrspace(256) %q, align 16
  %v = load <8 x i32>, ptr addrspace(256) %p, align 4
  %w = shufflevector <8 x i32> %v, <8 x i32> poison, <4 x i32> <i32 0, i32 1, i32 2, i32 3>
  store <4 x i32> %w, ptr addrspace(256) %q, align 16
  ret void
}
