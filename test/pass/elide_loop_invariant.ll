; (d) A barrier on a loop-invariant address in an innermost loop without calls moves to the
; preheader when the access runs on every iteration; the safe point redoes it after its slow
; path.  An access that may not run (behind a condition) keeps its barrier in the loop, run
; once per loop entry.
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-loop-once=0 < %s | FileCheck --check-prefix=NOONCE %s
; (-stmc-invariant-ranges=0 too: that range barrier would move this one to the preheader as well)
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-elide-loop-invariant=0 -stmc-invariant-ranges=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

define i64 @sum(ptr addrspace(256) %p, i64 %n) {
; CHECK-LABEL: define i64 @sum(
; CHECK:      entry:
; CHECK:      [[HP:%.*]] = getelementptr i8, ptr addrspace(256) %p, i64 8
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr addrspace(256) [[HP]] to i64
; CHECK:      call void @_stm_read_slow(i64 [[A]], i64 8,
; CHECK:      loop:
; CHECK-NOT:  call void @_stm_read_slow(
; CHECK:      %v = load i64, ptr addrspace(256) %f
; CHECK:      call void @_stm_safepoint_slow(
; CHECK:      call void @_stm_read_slow(i64 %{{.*}}, i64 8,
; CHECK:      done:
; OFF-LABEL:  define i64 @sum(
; OFF:        loop:
; OFF:        call void @_stm_read_slow(
; OFF:        %v = load i64, ptr addrspace(256) %f
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %f = getelementptr inbounds i8, ptr addrspace(256) %p, i64 8
  %v = load i64, ptr addrspace(256) %f, align 8
  %s1 = add i64 %s, %v
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %done
done:
  ret i64 %s1
}

; The body does not run on every iteration (the header is the exit test): hoisting would be
; speculative, so the barrier stays but runs once per loop entry (-stmc-loop-once=0: every time).
define i64 @guarded(ptr addrspace(256) %p, i64 %n) {
; CHECK-LABEL: define i64 @guarded(
; CHECK:      entry:
; CHECK-NEXT: %stmc.once = alloca i1
; CHECK-NEXT: store i1 false, ptr %stmc.once
; CHECK:      body:
; CHECK-NEXT: %stmc.done = load i1, ptr %stmc.once
; CHECK-NEXT: [[NOT:%.*]] = xor i1 %stmc.done, true
; CHECK-NEXT: br i1 [[NOT]]
; CHECK:      call void @_stm_read_slow(
; CHECK:      store i1 true, ptr %stmc.once
; CHECK:      %v = load i64, ptr addrspace(256) %p
; CHECK:      call void @_stm_safepoint_slow(
; CHECK-NEXT: store i1 false, ptr %stmc.once
; NOONCE-LABEL: define i64 @guarded(
; NOONCE-NOT:   stmc.once
; NOONCE:       call void @_stm_read_slow(
; NOONCE:       ret i64
entry:
  br label %head
head:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %c = icmp ult i64 %i, %n
  br i1 %c, label %body, label %done
body:
  %v = load i64, ptr addrspace(256) %p, align 8
  %i1 = add i64 %i, %v
  br label %head
done:
  ret i64 %i
}
; REMARK: remark: <unknown>:0:0: read barrier hoisted to the loop preheader
; REMARK: remark: <unknown>:0:0: read barrier runs once per loop entry (loop-invariant address)
; REPORT: loop-invariant 2 (into 1 hoisted barriers, 1 once per loop entry)
