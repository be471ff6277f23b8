; Locals whose setjmp-time value a retry of the atomic block cannot observe keep plain loads and
; stores (later passes may put them in registers): %set is stored whole in the block before it
; is read, %ro is only read after the setjmp, and %i (the loop counter around the block) changes
; only after the block's _stm_atomic_cleanup returns, where no abort goes back to the setjmp.
; The block has the shape STM_ATOMIC gives it: _stm_atomic_pre may skip to its cleanup.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

declare i32 @_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare i64 @work(i64)

define i64 @f(ptr %frame, i64 %a) {
; CHECK-LABEL: define i64 @f(
; CHECK-NOT:   volatile i64
; CHECK:       ret i64
entry:
  %set = alloca i64
  %ro = alloca i64
  %i = alloca i64
  store i64 0, ptr %set
  store i64 %a, ptr %ro
  store i64 %a, ptr %ro
  store i64 0, ptr %i
  br label %loop

loop:
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_setjmp(ptr %frame) returns_twice
  %x = load i64, ptr %ro
  %y = call i64 @work(i64 %x)
  store i64 %y, ptr %set
  br label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  %s = load i64, ptr %set
  %iv = load i64, ptr %i
  %iv1 = add i64 %iv, %s
  store i64 %iv1, ptr %i
  %c = icmp ult i64 %iv1, 100
  br i1 %c, label %loop, label %exit

exit:
  %v = load i64, ptr %i
  ret i64 %v
}
