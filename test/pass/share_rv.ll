; A read barrier dominated by another one in the same extended basic block, with no call in
; between, reuses the first one's RV value instead of loading RV again, even across the first
; one's slow path: a stale 0 (the slow path started a transaction) only sends the second
; barrier to the slow path too.  Not across a call (it may commit, abort or start a
; transaction), nor around a loop back-edge (its safe point may end one).  Switch:
; -stmc-share-rv; counter: the report's "read barriers sharing an earlier RV".
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s --check-prefix=ON
; RUN: %opt_stm -passes=stmc-instrument -stmc-share-rv=false -S < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -stmc-report -disable-output < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; RUN: %opt_stm -passes=stmc-instrument -stmc-share-rv=false -stmc-report -disable-output < %s 2>&1 | FileCheck %s --check-prefix=REPORT-OFF
; REPORT: read barriers sharing an earlier RV 2
; REPORT-OFF: read barriers sharing an earlier RV 0

declare void @g()

; Three reads in two blocks (the second block's only predecessor is the first): one RV load.
define i64 @chain(ptr addrspace(256) %p, ptr addrspace(256) %q, i1 %c) {
; ON-LABEL: define i64 @chain(
; ON-COUNT-1: inttoptr (i64 4096 to ptr addrspace(256))
; ON-NOT:     inttoptr (i64 4096 to ptr addrspace(256))
; ON:         ret i64
; OFF-LABEL: define i64 @chain(
; OFF-COUNT-3: inttoptr (i64 4096 to ptr addrspace(256))
; OFF:         ret i64
entry:
  %a = load i64, ptr addrspace(256) %p, align 8
  %f = getelementptr inbounds i8, ptr addrspace(256) %p, i64 16
  %b = load i64, ptr addrspace(256) %f, align 8
  br i1 %c, label %more, label %done
more:
  %d = load i64, ptr addrspace(256) %q, align 8
  %s = add i64 %a, %d
  ret i64 %s
done:
  ret i64 %b
}

; A call in between: the second read loads RV again.
define i64 @call_between(ptr addrspace(256) %p, ptr addrspace(256) %q) {
; ON-LABEL: define i64 @call_between(
; ON:         inttoptr (i64 4096 to ptr addrspace(256))
; ON:         call void @g()
; ON:         inttoptr (i64 4096 to ptr addrspace(256))
; ON:         ret i64
entry:
  %a = load i64, ptr addrspace(256) %p, align 8
  call void @g()
  %b = load i64, ptr addrspace(256) %q, align 8
  %s = add i64 %a, %b
  ret i64 %s
}

; A loop: the read after the loop (in a block whose only predecessor is the latch) loads RV
; again, because the latch's safe point may have ended the transaction.
define i64 @after_loop(ptr addrspace(256) %p, ptr addrspace(256) %q, i64 %n) {
; ON-LABEL: define i64 @after_loop(
; ON:       loop:
; ON:       inttoptr (i64 4096 to ptr addrspace(256))
; ON:       load volatile i8, ptr addrspace(256) inttoptr (i64 4098 to ptr addrspace(256))
; ON:       exit:
; ON-NEXT:  ptrtoint ptr addrspace(256) %q
; ON-NEXT:  load i8, ptr addrspace(256) inttoptr (i64 4096 to ptr addrspace(256))
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %e = getelementptr inbounds i64, ptr addrspace(256) %p, i64 %i
  %a = load i64, ptr addrspace(256) %e, align 8
  %i1 = add i64 %i, %a
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  %b = load i64, ptr addrspace(256) %q, align 8
  ret i64 %b
}
