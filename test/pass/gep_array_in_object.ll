; A variable index into an array inside an object: the barrier is on the computed element.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

%struct.obj = type { i64, [16 x i32] }

define i32 @get(ptr addrspace(256) %o, i64 %i) {
; CHECK-LABEL: define i32 @get(
; CHECK:      %e = getelementptr inbounds %struct.obj, ptr addrspace(256) %o, i64 0, i32 1, i64 %i
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr addrspace(256) %e to i64
; CHECK:      call void @_stm_read_slow(i64 [[A]], i64 4,
; CHECK:      %v = load i32, ptr addrspace(256) %e, align 4
  %e = getelementptr inbounds %struct.obj, ptr addrspace(256) %o, i64 0, i32 1, i64 %i
  %v = load i32, ptr addrspace(256) %e, align 4
  ret i32 %v
}
