; (b) A read after a write barrier on the same address needs no read barrier (the write
; barrier marks the granule read too).  A write after a read keeps its write barrier.
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S -stmc-elide-read-after-write=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

define i64 @f(ptr addrspace(256) %p, i64 %v) {
; CHECK-LABEL: define i64 @f(
; CHECK:     call void @_stm_write_slow(
; CHECK:     store i64 %v, ptr addrspace(256) %p
; CHECK-NOT: call void @_stm_read_slow(
; CHECK:     %r = load i64, ptr addrspace(256) %p
; OFF-LABEL: define i64 @f(
; OFF:       call void @_stm_write_slow(
; OFF:       call void @_stm_read_slow(
; OFF:       %r = load i64, ptr addrspace(256) %p
  store i64 %v, ptr addrspace(256) %p, align 8
  %r = load i64, ptr addrspace(256) %p, align 8
  ret i64 %r
}

; A write after a read (in another block: see elide_read_before_write.ll) keeps its barrier.
define void @g(ptr addrspace(256) %p, i1 %c) {
; CHECK-LABEL: define void @g(
; CHECK:     call void @_stm_read_slow(
; CHECK:     call void @_stm_write_slow(
  %r = load i64, ptr addrspace(256) %p, align 8
  br i1 %c, label %w, label %done
w:
  %n = add i64 %r, 1
  store i64 %n, ptr addrspace(256) %p, align 8
  br label %done
done:
  ret void
}
; REMARK: remark: <unknown>:0:0: read barrier elided: address already write-barriered
; REPORT: read-after-write 1,
