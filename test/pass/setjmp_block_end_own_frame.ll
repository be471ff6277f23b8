; STM_ATOMIC's shape: the block's declarations enter it and call the setjmp on the frame's jump
; buffer, so the setjmp dominates everything after it, the block's own _stm_atomic_cleanup
; included; one loop runs the body.  The block ends at the cleanup of the frame whose buffer
; the setjmp filled: %later, changed only after it, keeps plain loads and stores, while
; %after, changed after the nested block's cleanup (another frame: an abort there still
; returns to the outer setjmp), gets volatile ones.  Taking the first cleanup that the setjmp
; does not dominate as the block's end (the rule for the older two-loop shape, which
; setjmp_keep_nested_block.ll keeps) would find none here and make %later volatile too.
; RUN: %opt_stm -passes=stmc-instrument -stmc-promote-block-locals=0 -S < %s | FileCheck %s
; By default (-stmc-promote-block-locals) %later, not volatile, is promoted; %after is not.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck --check-prefix=PROMOTE %s
; PROMOTE-LABEL: define i64 @f(
; PROMOTE-NOT:   %later = alloca
; PROMOTE:       %a = load volatile i64, ptr %after
; PROMOTE:       store volatile i64 %a1, ptr %after
; PROMOTE-NOT:   ptr %later

%frame = type { [8 x i64], i32, i32 }

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare i32 @_stm_atomic_body(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare void @work()

define i64 @f() {
; CHECK-LABEL: define i64 @f(
; CHECK:       call i32 @_stm_setjmp(ptr %jb)
; CHECK:       %a = load volatile i64, ptr %after
; CHECK:       call void @_stm_atomic_cleanup(ptr %inner)
; CHECK-NEXT:  %a1 = add i64 %a, 1
; CHECK-NEXT:  store volatile i64 %a1, ptr %after
; CHECK:       call void @_stm_atomic_cleanup(ptr %outer)
; CHECK-NEXT:  %l = load i64, ptr %later
; CHECK-NEXT:  %l1 = add i64 %l, 1
; CHECK-NEXT:  store i64 %l1, ptr %later
entry:
  %outer = alloca %frame
  %inner = alloca %frame
  %after = alloca i64
  %later = alloca i64
  store i64 0, ptr %after
  store i64 0, ptr %later
  %st = getelementptr inbounds %frame, ptr %outer, i32 0, i32 1
  store volatile i32 0, ptr %st
  %p = call i32 @_stm_atomic_pre(ptr %outer)
  %jb = getelementptr inbounds %frame, ptr %outer, i32 0, i32 0
  %r = call i32 @_stm_setjmp(ptr %jb) returns_twice
  br label %cond

cond:
  %s = load volatile i32, ptr %st
  %one = icmp eq i32 %s, 1
  br i1 %one, label %body, label %retry

retry:
  %three = icmp eq i32 %s, 3
  br i1 %three, label %again, label %end

again:
  %b = call i32 @_stm_atomic_body(ptr %outer)
  %bt = icmp ne i32 %b, 0
  br i1 %bt, label %body, label %end

body:
  %a = load i64, ptr %after
  %ist = getelementptr inbounds %frame, ptr %inner, i32 0, i32 1
  store volatile i32 0, ptr %ist
  %p2 = call i32 @_stm_atomic_pre(ptr %inner)
  %ijb = getelementptr inbounds %frame, ptr %inner, i32 0, i32 0
  %r2 = call i32 @_stm_setjmp(ptr %ijb) returns_twice
  call void @work()
  call void @_stm_atomic_cleanup(ptr %inner)
  %a1 = add i64 %a, 1
  store i64 %a1, ptr %after
  store volatile i32 2, ptr %st
  br label %cond

end:
  call void @_stm_atomic_cleanup(ptr %outer)
  %l = load i64, ptr %later
  %l1 = add i64 %l, 1
  store i64 %l1, ptr %later
  %v = load i64, ptr %after
  %w = add i64 %v, %l1
  ret i64 %w
}
