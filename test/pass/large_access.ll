; First-class aggregate accesses larger than 64 bytes call the slow paths directly (they mark
; every granule).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

%big = type { [20 x i64] }

define void @f(ptr addrspace(256) %p, ptr addrspace(256) %q) {
; CHECK-LABEL: define void @f(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NEXT: call void @_stm_read_slow(i64 [[A]], i64 160,
; CHECK-NEXT: %v = load %big, ptr addrspace(256) %p
; CHECK:      [[B:%.*]] = ptrtoint ptr addrspace(256) %q to i64
; CHECK-NEXT: call void @_stm_write_slow(i64 [[B]], i64 160,
; CHECK-NEXT: store %big %v, ptr addrspace(256) %q
  %v = load %big, ptr addrspace(256) %p, align 8
  store %big %v, ptr addrspace(256) %q, align 8
  ret void
}
