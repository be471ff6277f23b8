; An 8-byte access with alignment 1 may span two granules: both markers are set (read) or
; checked (write), and a write that misses calls the slow path (no inline append, which
; records one granule).  An 8-byte aligned access cannot span: one marker.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @f(ptr addrspace(256) %p, ptr addrspace(256) %q) {
; CHECK-LABEL: define void @f(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK:      [[G0:%.*]] = lshr i64 [[A]], 4
; CHECK:      store i8 %{{.*}}, ptr addrspace(256) %{{.*}}
; CHECK:      [[L:%.*]] = add i64 [[A]], 7
; CHECK-NEXT: lshr i64 [[L]], 4
; CHECK:      store i8
; CHECK:      %v = load i64, ptr addrspace(256) %p, align 1
; CHECK:      [[B:%.*]] = ptrtoint ptr addrspace(256) %q to i64
; CHECK:      [[W0:%.*]] = icmp ne i8
; CHECK:      add i64 [[B]], 7
; CHECK:      [[W1:%.*]] = icmp ne i8
; CHECK-NEXT: [[OR:%.*]] = or i1 [[W0]], [[W1]]
; CHECK-NEXT: br i1 [[OR]], label %[[SPAN:.*]], label
; CHECK:      [[SPAN]]:
; CHECK-NEXT: call void @_stm_write_slow(i64 [[B]], i64 8,
; CHECK:      store i64 %v, ptr addrspace(256) %q, align 2
; CHECK:      [[C:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NOT:  add i64 [[C]], 7
; CHECK:      %u = load i32, ptr addrspace(256) %p, align 4
  %v = load i64, ptr addrspace(256) %p, align 1
  store i64 %v, ptr addrspace(256) %q, align 2
  call void @unknown()
  %u = load i32, ptr addrspace(256) %p, align 4
  store i32 %u, ptr addrspace(256) %q, align 4
  ret void
}
declare void @unknown()
