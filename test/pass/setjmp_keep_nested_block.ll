; An atomic block nested in another in the same function: an abort anywhere in the outer block,
; also after the nested block's _stm_atomic_cleanup, returns to the outer block's setjmp (nested
; blocks are flattened).  So %after, changed between the nested block's cleanup and the outer
; one's and read after the outer setjmp, gets volatile loads and stores; %later, changed only
; after the outer cleanup, does not.  The blocks have the shape STM_ATOMIC gives them: each
; _stm_atomic_pre may skip to its block's cleanup, so the outer setjmp dominates the nested
; block's cleanup and not its own block's.
; RUN: %opt_stm -passes=stmc-instrument -stmc-promote-block-locals=0 -S < %s | FileCheck %s
; By default (-stmc-promote-block-locals) %later, not volatile, is promoted; %after is not.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck --check-prefix=PROMOTE %s
; PROMOTE-LABEL: define i64 @f(
; PROMOTE-NOT:   %later = alloca
; PROMOTE:       %a = load volatile i64, ptr %after
; PROMOTE:       store volatile i64 %a1, ptr %after
; PROMOTE-NOT:   ptr %later

declare i32 @_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare void @work()

define i64 @f(ptr %outer, ptr %inner) {
; CHECK-LABEL: define i64 @f(
; CHECK:       call i32 @_setjmp(ptr %outer)
; CHECK-NEXT:  %a = load volatile i64, ptr %after
; CHECK:       call void @_stm_atomic_cleanup(ptr %inner)
; CHECK-NEXT:  %a1 = add i64 %a, 1
; CHECK-NEXT:  store volatile i64 %a1, ptr %after
; CHECK:       call void @_stm_atomic_cleanup(ptr %outer)
; CHECK-NEXT:  %l = load i64, ptr %later
; CHECK-NEXT:  %l1 = add i64 %l, 1
; CHECK-NEXT:  store i64 %l1, ptr %later
entry:
  %after = alloca i64
  %later = alloca i64
  store i64 0, ptr %after
  store i64 0, ptr %later
  %go = call i32 @_stm_atomic_pre(ptr %outer)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_setjmp(ptr %outer) returns_twice
  %a = load i64, ptr %after
  %go2 = call i32 @_stm_atomic_pre(ptr %inner)
  %t2 = icmp ne i32 %go2, 0
  br i1 %t2, label %body2, label %end2

body2:
  %r2 = call i32 @_setjmp(ptr %inner) returns_twice
  call void @work()
  br label %end2

end2:
  call void @_stm_atomic_cleanup(ptr %inner)
  %a1 = add i64 %a, 1
  store i64 %a1, ptr %after
  br label %end

end:
  call void @_stm_atomic_cleanup(ptr %outer)
  %l = load i64, ptr %later
  %l1 = add i64 %l, 1
  store i64 %l1, ptr %later
  %v = load i64, ptr %after
  %w = add i64 %v, %l1
  ret i64 %w
}
