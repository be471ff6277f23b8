; A relaxed (monotonic) atomic operation on plain memory orders nothing between threads, so it
; does not end the implicit transaction: no _stm_sync before it (an interpreter's relaxed poll
; of a flag at every bytecode paid an out-of-line call each time, 2x a tight loop).  Ordered
; ones on plain memory keep theirs (before), and a relaxed one on the heap keeps its own
; (after: it is published).  -stmc-skip-relaxed-sync=0 syncs the relaxed ones too; the report
; counts those left alone.
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S -stmc-skip-relaxed-sync=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -disable-output -stmc-report -stmc-skip-relaxed-sync=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s
; REPORT: atomic operations ending the implicit transaction 2 (relaxed ones on plain memory left alone 4),
; REPORT-OFF: atomic operations ending the implicit transaction 6 (relaxed ones on plain memory left alone 0),

@flag = global i32 0
@count = global i64 0

; CHECK-LABEL: define i32 @poll(
; CHECK-NOT:     call void @_stm_sync(
; CHECK:         load atomic i32, ptr @flag monotonic
; CHECK-NOT:     call void @_stm_sync(
; CHECK:         atomicrmw add ptr @count, i64 1 monotonic
; CHECK-NOT:     call void @_stm_sync(
; CHECK:         store atomic i32 0, ptr @flag monotonic
; CHECK-NOT:     call void @_stm_sync(
; CHECK:         cmpxchg ptr @flag, i32 0, i32 1 monotonic monotonic
; CHECK:         call void @_stm_sync(
; CHECK-NEXT:    load atomic i32, ptr @flag acquire
; CHECK:         atomicrmw add ptr addrspace(256) %p, i32 1 monotonic
; CHECK-NEXT:    call void @_stm_sync(
; OFF-LABEL: define i32 @poll(
; OFF:           call void @_stm_sync(
; OFF-NEXT:      load atomic i32, ptr @flag monotonic
; OFF:           call void @_stm_sync(
; OFF-NEXT:      atomicrmw add ptr @count, i64 1 monotonic
; OFF:           call void @_stm_sync(
; OFF-NEXT:      store atomic i32 0, ptr @flag monotonic
; OFF:           call void @_stm_sync(
; OFF-NEXT:      cmpxchg ptr @flag, i32 0, i32 1 monotonic monotonic
define i32 @poll(ptr addrspace(256) %p) {
  %f = load atomic i32, ptr @flag monotonic, align 4
  %c = atomicrmw add ptr @count, i64 1 monotonic, align 8
  store atomic i32 0, ptr @flag monotonic, align 4
  %x = cmpxchg ptr @flag, i32 0, i32 1 monotonic monotonic, align 4
  %a = load atomic i32, ptr @flag acquire, align 4
  %h = atomicrmw add ptr addrspace(256) %p, i32 1 monotonic, align 4
  %s = add i32 %f, %a
  ret i32 %s
}
