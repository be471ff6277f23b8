; In a function with an atomic block (a returns_twice call), a local that the block changes and
; that is read after the setjmp before being overwritten (here an attempt counter, also read
; after the block) gets volatile loads and stores, all of them: an abort's longjmp would restore
; a register copy to its setjmp-time value, and <stmc.h> promises the changed value.  The block
; has the shape STM_ATOMIC gives it: _stm_atomic_pre may skip to the block's cleanup.
; -stmc-keep-locals=0: left as it is, so later passes may keep it in a register.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-keep-locals=0 -S < %s | FileCheck %s --check-prefix=OFF

declare i32 @_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare void @work()

define i64 @f(ptr %frame) {
; CHECK-LABEL: define i64 @f(
; CHECK:      store volatile i64 0, ptr %runs
; CHECK:      call i32 @_setjmp(
; CHECK-NEXT: %n = load volatile i64, ptr %runs
; CHECK-NEXT: %n1 = add i64 %n, 1
; CHECK-NEXT: store volatile i64 %n1, ptr %runs
; CHECK:      call void @_stm_atomic_cleanup(
; CHECK-NEXT: %v = load volatile i64, ptr %runs
; OFF-LABEL:  define i64 @f(
; OFF-NOT:    volatile i64
; OFF:        ret i64
entry:
  %runs = alloca i64
  store i64 0, ptr %runs
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_setjmp(ptr %frame) returns_twice
  %n = load i64, ptr %runs
  %n1 = add i64 %n, 1
  store i64 %n1, ptr %runs
  call void @work()
  br label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  %v = load i64, ptr %runs
  ret i64 %v
}
