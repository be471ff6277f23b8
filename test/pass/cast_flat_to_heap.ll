; addrspacecast 0 -> 256 becomes flat - base when that lies in the running thread's segment
; (one compare), else the runtime's _stm_heap_from_flat, a cold call (null, an address of
; another segment, a sentinel); no warning.
; RUN: %opt_stm -passes=stmc-instrument -S < %s 2>&1 | FileCheck %s

define ptr addrspace(256) @heap(ptr %p) {
; CHECK-NOT:  warning
; CHECK-LABEL: define ptr addrspace(256) @heap(
; CHECK:      [[B:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4104 to ptr addrspace(256)), align 8, {{.*}}!stmc.internal
; CHECK-NEXT: [[F:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: [[S:%.*]] = sub i64 [[F]], [[B]]
; CHECK-NEXT: %stmc.elsewhere = icmp uge i64 [[S]], 8589934592
; CHECK-NEXT: br i1 %stmc.elsewhere, label %[[SLOW:.*]], label %[[JOIN:.*]], !prof
; CHECK:      [[SLOW]]:
; CHECK-NEXT: [[O:%.*]] = call i64 @_stm_heap_from_flat(i64 [[F]]) #[[COLD:[0-9]+]], !stmc.internal
; CHECK-NEXT: br label %[[JOIN]]
; CHECK:      [[JOIN]]:
; CHECK-NEXT: %stmc.off = phi i64 [ [[S]], %{{.*}} ], [ [[O]], %[[SLOW]] ]
; CHECK-NEXT: %stmc.heap = inttoptr i64 %stmc.off to ptr addrspace(256)
; CHECK-NEXT: ret ptr addrspace(256) %stmc.heap
; CHECK:      attributes #[[COLD]] = { cold }
  %h = addrspacecast ptr %p to ptr addrspace(256)
  ret ptr addrspace(256) %h
}
