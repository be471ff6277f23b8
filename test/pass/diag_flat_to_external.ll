; A plain pointer made from a heap pointer, passed to a function stmc did not compile: warned.
; RUN: %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s

declare i64 @strlen(ptr)
declare i64 @write(i32, ptr, i64)

define void @f(ptr addrspace(256) %p) {
  %f = addrspacecast ptr addrspace(256) %p to ptr
  %b = getelementptr inbounds i8, ptr %f, i64 8
  call i64 @write(i32 1, ptr %b, i64 4)
  ret void
}
; CHECK: warning: in function 'f' ({{.*}}): stmc: STM heap pointer cast to a plain pointer
; CHECK: warning: in function 'f' ({{.*}}): stmc: a plain pointer made from an STM heap pointer is passed to 'write', which stmc did not compile: its accesses are not tracked (hint:
