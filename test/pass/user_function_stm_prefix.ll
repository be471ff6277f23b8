; A program's own function whose name starts with stm_ is program code: its heap store gets the
; write barrier (which covers the load before it too).  Only <stmc.h>'s functions (stm_write here, the header's inline barrier, which
; addresses the markers itself) and _stm_* names are the runtime's and stay as they are.  (Every
; stm_ name counted as the runtime's before, and stm_counter_add got no barrier at all.)
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @stm_counter_add(ptr addrspace(256) %p, i64 %d) {
; CHECK-LABEL: define void @stm_counter_add(
; CHECK:       call void @_stm_write_slow(i64 %stmc.a, i64 8,
; CHECK:       store i64
  %v = load i64, ptr addrspace(256) %p, align 8
  %n = add i64 %v, %d
  store i64 %n, ptr addrspace(256) %p, align 8
  ret void
}

define internal void @stm_write(ptr addrspace(256) %p, i64 %n) {
; CHECK-LABEL: define internal void @stm_write(
; CHECK-NOT:   _stm_
; CHECK:       ret void
  %m = inttoptr i64 4097 to ptr addrspace(256)
  %wv = load volatile i8, ptr addrspace(256) %m, align 1
  store volatile i8 %wv, ptr addrspace(256) %p, align 1
  ret void
}
