; __builtin_setjmp (llvm.eh.sjlj.setjmp) is a boundary: its second return comes after code
; that may have ended the transaction, so the store after it keeps its write barrier (it was
; elided as covered by the first store's: same granule).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; CHECK-LABEL: define void @work(
; CHECK: call void @_stm_write_slow(
; CHECK: call i32 @llvm.eh.sjlj.setjmp(
; CHECK: second:
; CHECK: call void @_stm_write_slow(
; CHECK: store i64 2, ptr addrspace(256) %p

@buf = global [5 x ptr] zeroinitializer

declare i32 @llvm.eh.sjlj.setjmp(ptr)
declare void @f()

define void @work(ptr addrspace(256) %p) {
entry:
  store i64 1, ptr addrspace(256) %p, align 8
  %r = call i32 @llvm.eh.sjlj.setjmp(ptr @buf)
  %c = icmp ne i32 %r, 0
  br i1 %c, label %second, label %first
second:
  store i64 2, ptr addrspace(256) %p, align 8
  ret void
first:
  call void @f()
  ret void
}
