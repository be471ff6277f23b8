; Plain (address space 0) and other address-space accesses get no barrier.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define i32 @f(ptr %p, ptr addrspace(257) %q) {
; CHECK-LABEL: define i32 @f(
; CHECK-NOT: call void @_stm_
; CHECK-NOT: inttoptr
; CHECK:     %a = load i32, ptr %p
; CHECK:     store i32 %a, ptr addrspace(257) %q
; CHECK:     ret i32
  %a = load i32, ptr %p, align 4
  store i32 %a, ptr addrspace(257) %q, align 4
  %b = atomicrmw add ptr %p, i32 1 seq_cst
  ret i32 %b
}
