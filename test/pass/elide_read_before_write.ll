; A read followed in the same block, with no call in between, by a store of the same bytes
; (x->f++, x->f += v) gets the write barrier up front (it marks the granule read too); the
; store needs none.  -stmc-elide-read-before-write=0 turns it off.
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-elide-read-before-write=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

define void @inc(ptr addrspace(256) %p) {
; CHECK-LABEL: define void @inc(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NEXT: load i8, ptr addrspace(256) inttoptr (i64 4097 to ptr addrspace(256))
; CHECK:      call void @_stm_write_slow(i64 [[A]], i64 8,
; CHECK-NOT:  call void @_stm_
; CHECK:      %r = load i64, ptr addrspace(256) %p
; CHECK-NEXT: %n = add i64 %r, 1
; CHECK-NEXT: store i64 %n, ptr addrspace(256) %p
; CHECK-NEXT: ret void
; OFF-LABEL:  define void @inc(
; OFF:        call void @_stm_read_slow(
; OFF:        call void @_stm_write_slow(
  %r = load i64, ptr addrspace(256) %p, align 8
  %n = add i64 %r, 1
  store i64 %n, ptr addrspace(256) %p, align 8
  ret void
}

; A call in between: both barriers stay.
define void @call_between(ptr addrspace(256) %p) {
; CHECK-LABEL: define void @call_between(
; CHECK:      call void @_stm_read_slow(
; CHECK:      call void @g()
; CHECK:      call void @_stm_write_slow(
  %r = load i64, ptr addrspace(256) %p, align 8
  call void @g()
  store i64 %r, ptr addrspace(256) %p, align 8
  ret void
}
declare void @g()
; REMARK: remark: <unknown>:0:0: write barrier merged into the barrier of the preceding read
; REPORT: read-before-write 1,
