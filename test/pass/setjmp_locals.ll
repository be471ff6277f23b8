; In a function that calls setjmp (STM_ATOMIC), with -stmc-promote-block-locals=0 mem2reg only
; promotes allocas stored once in the entry block (a parameter's home): a local changed in the
; atomic body stays in memory; EarlyCSE is not run there.  By default it also promotes the
; locals that -stmc-keep-locals left non-volatile (the pipeline's SROA promotes them a moment
; later anyway): %n, set after the setjmp before every read, becomes the constant 1, and the
; second load of %p is seen as the same granule's.
; RUN: %opt_stm -passes=stmc-instrument -stmc-promote-block-locals=0 -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck --check-prefix=PROMOTE %s
; PROMOTE-LABEL: define i64 @f(
; PROMOTE-NOT:   alloca
; PROMOTE:       call void @_stm_read_slow(
; PROMOTE-NOT:   call void @_stm_read_slow(
; PROMOTE:       %t = add i64 %s, 1

declare i32 @_setjmp(ptr) returns_twice

define i64 @f(ptr addrspace(256) %p, ptr %jb) {
; CHECK-LABEL: define i64 @f(
; CHECK-NOT:  %p.addr = alloca
; CHECK:      %n = alloca i64
; CHECK:      call i32 @_setjmp(
; CHECK:      store i64 1, ptr %n
; CHECK:      call void @_stm_read_slow(
; CHECK-NOT:  call void @_stm_read_slow(
; CHECK:      ret i64
entry:
  %p.addr = alloca ptr addrspace(256)
  %n = alloca i64
  store ptr addrspace(256) %p, ptr %p.addr
  store i64 0, ptr %n
  %r = call i32 @_setjmp(ptr %jb) returns_twice
  store i64 1, ptr %n
  %q1 = load ptr addrspace(256), ptr %p.addr
  %x = load i64, ptr addrspace(256) %q1, align 8
  %q2 = load ptr addrspace(256), ptr %p.addr
  %y = load i64, ptr addrspace(256) %q2, align 8
  %c = load i64, ptr %n
  %s = add i64 %x, %y
  %t = add i64 %s, %c
  ret i64 %t
}
