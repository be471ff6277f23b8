; The read after __builtin_setjmp's second return loads RV again (-stmc-share-rv shares it only
; where nothing can have changed it): the code before the longjmp may have ended the
; transaction (a review: with the RV loaded before the setjmp reused, the read ran with no
; segment held: "heap access ... in a thread that holds no segment").
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; CHECK-LABEL: define i64 @work(
; CHECK: %stmc.rv = load i8
; CHECK: call i32 @llvm.eh.sjlj.setjmp(
; CHECK: second:
; CHECK-NOT: icmp ne i8 %stmc.rv,
; CHECK: %stmc.rv{{[0-9]+}} = load i8, ptr addrspace(256) inttoptr (i64 4096

@buf = global [5 x ptr] zeroinitializer

declare i32 @llvm.eh.sjlj.setjmp(ptr)
declare void @f()

define i64 @work(ptr addrspace(256) %p) {
entry:
  %a = load i64, ptr addrspace(256) %p, align 8
  %r = call i32 @llvm.eh.sjlj.setjmp(ptr @buf)
  %c = icmp ne i32 %r, 0
  br i1 %c, label %second, label %first
second:
  %yp = getelementptr i8, ptr addrspace(256) %p, i64 8
  %y = load i64, ptr addrspace(256) %yp, align 8
  %s = add i64 %a, %y
  ret i64 %s
first:
  call void @f()
  ret i64 0
}
