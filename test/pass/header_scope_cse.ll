; The segment header (RV) and the read markers live in separate alias scopes, so after GVN two
; read barriers in a call-free stretch share one RV load and its tests: the second barrier is
; just the marker store.  The YIELD load of a safe point stays volatile and in the loop.
; RUN: %opt_stm -passes=stmc-instrument,gvn -S < %s | FileCheck %s

define i64 @two(ptr addrspace(256) %p, ptr addrspace(256) %q) {
; RV is loaded once: the second barrier reuses the first one's value, even across its slow path
; (-stmc-share-rv, see share_rv.ll), and GVN merges their rv == 1 tests.
; CHECK-LABEL: define i64 @two(
; CHECK:      [[RV:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4096 to ptr addrspace(256))
; CHECK-NEXT: [[U:%.*]] = icmp ne i8 [[RV]], 1
; CHECK:      call void @_stm_read_slow(
; CHECK-NOT:  inttoptr (i64 4096
; CHECK:      %a = load i64, ptr addrspace(256) %p
; CHECK-NEXT: ptrtoint
; CHECK-NEXT: br i1 [[U]],
; CHECK-NOT:  inttoptr (i64 4096
; CHECK:      ret i64
  %a = load i64, ptr addrspace(256) %p, align 8
  %b = load i64, ptr addrspace(256) %q, align 8
  %s = add i64 %a, %b
  ret i64 %s
}

define i64 @spin(ptr addrspace(256) %p) {
; CHECK-LABEL: define i64 @spin(
; CHECK: loop:
; CHECK: load volatile i8, ptr addrspace(256) inttoptr (i64 4098 to ptr addrspace(256))
entry:
  br label %loop
loop:
  %v = load i64, ptr addrspace(256) %p, align 8
  %z = icmp eq i64 %v, 0
  br i1 %z, label %loop, label %done
done:
  ret i64 %v
}
