; An atomic block (its setjmp is _stm_setjmp) restores at each retry a local that it changes
; and a later read sees: copied into a shadow before the setjmp, copied back after its second
; return (non-zero; a volatile copy: it comes after the aborted attempt changed the local).  The
; block's own frame is not restored, nor a local the program declared volatile (an attempt
; counter: kept).  -stmc-restore-locals=0: no copies (the local is only kept in memory).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-restore-locals=0 -S < %s | FileCheck %s --check-prefix=OFF

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare void @work()

define i64 @f(ptr addrspace(256) %g) {
; CHECK-LABEL: define i64 @f(
; CHECK:      %stmc.saved = alloca i64
; CHECK-NOT:  %stmc.saved1
; CHECK:      call void @llvm.memcpy.p0.p0.i64(ptr align 8 %stmc.saved, ptr align 8 %total, i64 8, i1 false)
; CHECK-NEXT: %r = call i32 @_stm_setjmp(
; CHECK-NEXT: %stmc.retry = icmp ne i32 %r, 0
; CHECK-NEXT: br i1 %stmc.retry, label %[[AGAIN:[0-9]+]], label
; CHECK:      [[AGAIN]]:
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr align 8 %total, ptr align 8 %stmc.saved, i64 8, i1 true)
; OFF-LABEL:  define i64 @f(
; OFF-NOT:    stmc.saved
; OFF-NOT:    llvm.memcpy
; OFF:        ret i64
entry:
  %frame = alloca [128 x i8], align 8
  %total = alloca i64, align 8
  %runs = alloca i64, align 8
  store i64 0, ptr %total
  store volatile i64 0, ptr %runs
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_stm_setjmp(ptr %frame) returns_twice
  %n = load volatile i64, ptr %runs
  %n1 = add i64 %n, 1
  store volatile i64 %n1, ptr %runs
  %x = load i64, ptr addrspace(256) %g, align 8
  %s = load i64, ptr %total
  %s1 = add i64 %s, %x
  store i64 %s1, ptr %total
  call void @work()
  br label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  %v = load i64, ptr %total
  ret i64 %v
}
