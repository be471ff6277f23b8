; Heap pointers merged by phi and select are barriered at the access like any other.
; (Without the pass's SimplifyCFG, which would turn this diamond into a select.)
; RUN: %opt_stm -passes=stmc-instrument -stmc-simplify-cfg=false -S < %s | FileCheck %s

define i32 @f(i1 %c, ptr addrspace(256) %a, ptr addrspace(256) %b) {
; CHECK-LABEL: define i32 @f(
; CHECK:      %s = select i1 %c, ptr addrspace(256) %a, ptr addrspace(256) %b
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %s to i64
; CHECK:      call void @_stm_read_slow(i64 [[A]], i64 4,
; CHECK:      %x = load i32, ptr addrspace(256) %s
; CHECK:      %p = phi ptr addrspace(256)
; CHECK:      [[B:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK:      call void @_stm_write_slow(i64 [[B]], i64 4,
; CHECK:      store i32 %x, ptr addrspace(256) %p
entry:
  %s = select i1 %c, ptr addrspace(256) %a, ptr addrspace(256) %b
  %x = load i32, ptr addrspace(256) %s, align 4
  br i1 %c, label %l, label %r
l:
  br label %j
r:
  br label %j
j:
  %p = phi ptr addrspace(256) [ %a, %l ], [ %b, %r ]
  store i32 %x, ptr addrspace(256) %p, align 4
  ret i32 %x
}
