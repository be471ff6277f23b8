; -stmc-inline-append=false: a store's write barrier calls _stm_write_slow whenever the write
; marker differs from WV, with no inline append (compare store.ll).
; RUN: %opt_stm -passes=stmc-instrument -stmc-inline-append=false -S < %s | FileCheck %s

define void @set(ptr addrspace(256) %p, i32 %v) {
; CHECK-LABEL: define void @set(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NEXT: [[WV:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4097 to ptr addrspace(256)), align 1, {{.*}}!stmc.internal
; CHECK-NEXT: [[G:%.*]] = lshr i64 [[A]], 4
; CHECK-NEXT: [[W:%.*]] = add i64 [[G]], 536805376
; CHECK-NEXT: [[M:%.*]] = inttoptr i64 [[W]] to ptr addrspace(256)
; CHECK-NEXT: [[WM:%.*]] = load i8, ptr addrspace(256) [[M]], align 1, {{.*}}!stmc.internal
; CHECK-NEXT: [[NE:%.*]] = icmp ne i8 [[WM]], [[WV]]
; CHECK-NEXT: br i1 [[NE]], label %[[SLOW:.*]], label %[[CONT:.*]], !prof
; CHECK:      [[SLOW]]:
; CHECK-NEXT: call void @_stm_write_slow(i64 [[A]], i64 4, ptr @.stmc.site)
; CHECK-NEXT: br label %[[CONT]]
; CHECK:      [[CONT]]:
; CHECK-NEXT: store i32 %v, ptr addrspace(256) %p, align 4, !noalias
; CHECK-NOT:  stmc.ws
; CHECK:      ret void
  store i32 %v, ptr addrspace(256) %p, align 4
  ret void
}
