; Atomic operations and fences end the implicit transaction outside atomic blocks (_stm_sync):
; before one on plain memory (what it releases includes the heap writes before it), after one
; on the heap (it is published itself).  Not for signal fences (singlethread scope) or
; unordered loads.  libatomic calls (sizes that are not lock-free) are external calls, which
; end the implicit transaction already.  The call is a boundary: the store after it keeps its barrier.
; -stmc-sync-atomics=0 emits none.
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S -stmc-sync-atomics=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -disable-output -stmc-report -stmc-sync-atomics=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s
; REPORT: atomic operations ending the implicit transaction 4 (relaxed ones on plain memory left alone 0),
; REPORT-OFF: atomic operations ending the implicit transaction 0 (relaxed ones on plain memory left alone 0),

@ready = global i32 0

; CHECK-LABEL: define void @publish(
; CHECK:         call void @_stm_write_slow(
; CHECK:         store i64 1, ptr addrspace(256) %p
; CHECK:         call void @_stm_sync(
; CHECK-NEXT:    store atomic i32 1, ptr @ready release
; CHECK:         call void @_stm_write_slow(
; CHECK:         store i64 2, ptr addrspace(256) %p
; OFF-LABEL: define void @publish(
; OFF-NOT:       call void @_stm_sync(
; OFF:           store atomic i32 1, ptr @ready release
; OFF-NOT:       call void @_stm_write_slow(
; OFF:           ret void
define void @publish(ptr addrspace(256) %p) {
  store i64 1, ptr addrspace(256) %p, align 8
  store atomic i32 1, ptr @ready release, align 4
  store i64 2, ptr addrspace(256) %p, align 8
  ret void
}

; CHECK-LABEL: define i32 @heap_flag(
; CHECK:         atomicrmw add ptr addrspace(256) %p, i32 1 seq_cst
; CHECK-NEXT:    call void @_stm_sync(
; CHECK:         ret i32
define i32 @heap_flag(ptr addrspace(256) %p) {
  %old = atomicrmw add ptr addrspace(256) %p, i32 1 seq_cst, align 4
  ret i32 %old
}

; CHECK-LABEL: define i64 @acquire(
; CHECK:         call void @_stm_sync(
; CHECK-NEXT:    %r = load atomic i32, ptr @ready acquire
; CHECK:         call void @_stm_sync(
; CHECK-NEXT:    fence seq_cst
; CHECK-NOT:     call void @_stm_sync(
; CHECK:         ret i64
define i64 @acquire(ptr addrspace(256) %p) {
  %r = load atomic i32, ptr @ready acquire, align 4
  fence seq_cst
  fence syncscope("singlethread") seq_cst
  %u = load atomic i32, ptr @ready unordered, align 4
  %v = load i64, ptr addrspace(256) %p, align 8
  ret i64 %v
}

; CHECK-LABEL: define void @libatomic(
; CHECK-NOT:     call void @_stm_sync(
; CHECK:         call void @_stm_external_enter(
; CHECK-NEXT:    call void @__atomic_store(
declare void @__atomic_store(i64, ptr, ptr, i32)
define void @libatomic(ptr %big, ptr %val) {
  call void @__atomic_store(i64 32, ptr %big, ptr %val, i32 5)
  ret void
}
