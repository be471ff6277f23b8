; atomicrmw on the STM heap is a write (the write barrier also marks the granule read).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define i64 @inc(ptr addrspace(256) %p) {
; CHECK-LABEL: define i64 @inc(
; CHECK:      load i8, ptr addrspace(256) inttoptr (i64 4097 to ptr addrspace(256))
; CHECK:      call void @_stm_write_slow(i64 %{{.*}}, i64 8, ptr @.stmc.site)
; CHECK:      atomicrmw add ptr addrspace(256) %p, i64 1 seq_cst, align 8
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      ret
  %old = atomicrmw add ptr addrspace(256) %p, i64 1 seq_cst, align 8
  ret i64 %old
}
