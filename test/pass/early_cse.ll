; Before instrumenting a non-optnone function the pass runs mem2reg and EarlyCSE (as the
; pipeline would a moment later): two loads of the same global heap pointer become one value,
; so the second access to the same field is elided.  Not in optnone functions.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

@accounts = global ptr addrspace(256) null

define i64 @twice() {
; CHECK-LABEL: define i64 @twice(
; CHECK-COUNT-1: call void @_stm_read_slow(
; CHECK-NOT:     call void @_stm_read_slow(
; CHECK:         ret i64
  %p.addr = alloca ptr addrspace(256)
  %a1 = load ptr addrspace(256), ptr @accounts
  store ptr addrspace(256) %a1, ptr %p.addr
  %p1 = load ptr addrspace(256), ptr %p.addr
  %x = load i64, ptr addrspace(256) %p1, align 8
  %a2 = load ptr addrspace(256), ptr @accounts
  %f = getelementptr inbounds i8, ptr addrspace(256) %a2, i64 0
  %y = load volatile i64, ptr addrspace(256) %f, align 8
  %s = add i64 %x, %y
  ret i64 %s
}

define i64 @twice_optnone() noinline optnone {
; CHECK-LABEL: define i64 @twice_optnone(
; CHECK-COUNT-2: call void @_stm_read_slow(
  %a1 = load ptr addrspace(256), ptr @accounts
  %x = load i64, ptr addrspace(256) %a1, align 8
  %a2 = load ptr addrspace(256), ptr @accounts
  %y = load i64, ptr addrspace(256) %a2, align 8
  %s = add i64 %x, %y
  ret i64 %s
}
