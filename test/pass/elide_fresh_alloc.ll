; (c) Objects stm_alloc'ed in this function with no boundary in between need no barrier (the
; runtime put them in the write set).  After an unknown call they are barriered again.  In a
; loop, the safe point's slow path puts the fresh object back in the write set (_stm_write_again:
; those granules do not count towards the implicit transaction's size limit).
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-elide-fresh=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

declare ptr addrspace(256) @stm_alloc(i64)
declare void @unknown()

define ptr addrspace(256) @mk(i64 %v) {
; CHECK-LABEL: define ptr addrspace(256) @mk(
; CHECK:     %o = call ptr addrspace(256) @stm_alloc(i64 24)
; CHECK-NOT: call void @_stm_write_slow(
; CHECK:     call void @unknown()
; CHECK:     call void @_stm_write_slow(
; CHECK:     ret ptr addrspace(256) %o
; OFF-LABEL: define ptr addrspace(256) @mk(
; OFF-COUNT-3: call void @_stm_write_slow(
  %o = call ptr addrspace(256) @stm_alloc(i64 24)
  store i64 %v, ptr addrspace(256) %o, align 8
  %f = getelementptr inbounds i8, ptr addrspace(256) %o, i64 16
  store i64 %v, ptr addrspace(256) %f, align 8
  call void @unknown()
  store i64 0, ptr addrspace(256) %o, align 8
  ret ptr addrspace(256) %o
}

define ptr addrspace(256) @zero(i64 %n) {
; CHECK-LABEL: define ptr addrspace(256) @zero(
; CHECK:     %o = call ptr addrspace(256) @stm_alloc(i64 %bytes)
; CHECK-NOT: call void @_stm_write_slow(
; CHECK:     store i64 0, ptr addrspace(256) %e
; CHECK:     call void @_stm_safepoint_slow(
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr addrspace(256) %o to i64
; CHECK-NEXT: call void @_stm_write_again(i64 [[A]], i64 %bytes,
entry:
  %bytes = shl i64 %n, 3
  %o = call ptr addrspace(256) @stm_alloc(i64 %bytes)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %e = getelementptr inbounds i64, ptr addrspace(256) %o, i64 %i
  store i64 0, ptr addrspace(256) %e, align 8
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %done
done:
  ret ptr addrspace(256) %o
}
; REMARK: remark: <unknown>:0:0: write barrier elided: object allocated in this transaction
; REPORT: fresh-alloc 3,
