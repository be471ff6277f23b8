; cmpxchg on the STM heap gets the write barrier.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define i1 @cas(ptr addrspace(256) %p, i32 %o, i32 %n) {
; CHECK-LABEL: define i1 @cas(
; CHECK:      load i8, ptr addrspace(256) inttoptr (i64 4097 to ptr addrspace(256))
; CHECK:      call void @_stm_write_slow(i64 %{{.*}}, i64 4, ptr @.stmc.site)
; CHECK:      cmpxchg ptr addrspace(256) %p, i32 %o, i32 %n seq_cst seq_cst, align 4
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      ret
  %r = cmpxchg ptr addrspace(256) %p, i32 %o, i32 %n seq_cst seq_cst, align 4
  %ok = extractvalue { i32, i1 } %r, 1
  ret i1 %ok
}
