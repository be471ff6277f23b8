; A local that an atomic block's retry restores stays in a register through an innermost loop
; without calls: loaded (volatile) before the loop into a shadow that SROA promotes, stored
; back (volatile) at the loop's exit, no access of it in the loop.  An abort anywhere in the
; loop restores it from the copy made at the block's entry, so its memory need not follow the
; loop (`long s = 0; STM_ATOMIC { for (...) s += a[i]; }` made a volatile load and store at
; each step: 1.9 ms against 0.31 for 1 M longs).  A loop with a call keeps the volatile
; accesses, and so does a local that the program's own setjmp keeps (its value at the longjmp
; is what the program sees).
; -stmc-loop-local-registers=0: the volatile accesses stay in the loop.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-loop-local-registers=0 < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-loop-local-registers=0 < %s 2>&1 | FileCheck %s --check-prefix=REPORT-OFF

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare void @work()

; long total = 0; STM_ATOMIC { for (i = 0; i < n; i++) total += a[i]; } return total;
define i64 @sum(ptr addrspace(256) %a, i64 %n) {
; CHECK-LABEL: define i64 @sum(
; CHECK:      [[IN:%total.stmc.in]] = load volatile i64, ptr %total
; CHECK:      loop:
; CHECK-NEXT: phi i64 [ [[IN]], {{.*}} ], [ %s1, %loop ]
; CHECK-NOT:  ptr %total
; CHECK:      end.loopexit:
; CHECK-NEXT: store volatile i64 %s1, ptr %total
; CHECK:      end:
; CHECK:      %v = load volatile i64, ptr %total
; OFF-LABEL:  define i64 @sum(
; OFF:        loop:
; OFF:        %s = load volatile i64, ptr %total
; OFF:        store volatile i64 %s1, ptr %total
entry:
  %frame = alloca [128 x i8], align 8
  %total = alloca i64, align 8
  store i64 0, ptr %total
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_stm_setjmp(ptr %frame) returns_twice
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %loop, label %end

loop:
  %i = phi i64 [ 0, %body ], [ %i1, %loop ]
  %p = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  %x = load i64, ptr addrspace(256) %p, align 8
  %s = load i64, ptr %total
  %s1 = add i64 %s, %x
  store i64 %s1, ptr %total
  %i1 = add nuw nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  %v = load i64, ptr %total
  ret i64 %v
}

; the same with a call in the loop: the volatile accesses stay
define i64 @calls(ptr addrspace(256) %a, i64 %n) {
; CHECK-LABEL: define i64 @calls(
; CHECK-NOT:  stmc.reg
; CHECK:      loop:
; CHECK:      %s = load volatile i64, ptr %total
; CHECK:      store volatile i64 %s1, ptr %total
entry:
  %frame = alloca [128 x i8], align 8
  %total = alloca i64, align 8
  store i64 0, ptr %total
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_stm_setjmp(ptr %frame) returns_twice
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %loop, label %end

loop:
  %i = phi i64 [ 0, %body ], [ %i1, %loop ]
  %p = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  %x = load i64, ptr addrspace(256) %p, align 8
  %s = load i64, ptr %total
  %s1 = add i64 %s, %x
  store i64 %s1, ptr %total
  call void @work()
  %i1 = add nuw nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  %v = load i64, ptr %total
  ret i64 %v
}

; the program's own setjmp keeps the local (not restored): the volatile accesses stay
define i64 @own(ptr %jb, i64 %n) {
; CHECK-LABEL: define i64 @own(
; CHECK-NOT:  stmc.reg
; CHECK:      loop:
; CHECK:      %s = load volatile i64, ptr %total
; CHECK:      store volatile i64 %s1, ptr %total
entry:
  %total = alloca i64, align 8
  store i64 0, ptr %total
  %r = call i32 @setjmp(ptr %jb) returns_twice
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %loop, label %end

loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = load i64, ptr %total
  %s1 = add i64 %s, %i
  store i64 %s1, ptr %total
  %i1 = add nuw nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %end

end:
  call void @work()
  %v = load i64, ptr %total
  ret i64 %v
}

; REPORT:     kept in memory across it 3 (in a register through 1 loops)
; REPORT-OFF: kept in memory across it 3 (in a register through 0 loops)
