; addrspacecast 0 -> 256 becomes flat - base (null stays null); no warning.
; RUN: %opt_stm -passes=stmc-instrument -S < %s 2>&1 | FileCheck %s

define ptr addrspace(256) @heap(ptr %p) {
; CHECK-NOT:  warning
; CHECK-LABEL: define ptr addrspace(256) @heap(
; CHECK:      [[B:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4104 to ptr addrspace(256)), align 8, {{.*}}!stmc.internal
; CHECK-NEXT: [[F:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: [[S:%.*]] = sub i64 [[F]], [[B]]
; CHECK-NEXT: [[H:%.*]] = inttoptr i64 [[S]] to ptr addrspace(256)
; CHECK-NEXT: [[Z:%.*]] = icmp eq i64 [[F]], 0
; CHECK-NEXT: %stmc.heap = select i1 [[Z]], ptr addrspace(256) null, ptr addrspace(256) [[H]]
; CHECK-NEXT: ret ptr addrspace(256) %stmc.heap
  %h = addrspacecast ptr %p to ptr addrspace(256)
  ret ptr addrspace(256) %h
}
