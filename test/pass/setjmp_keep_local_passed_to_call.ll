; A local that the atomic block changes only through a call to a function defined in the module
; (which the inliner may inline later, turning its accesses into the local's own), and that is
; read after the setjmp: it has no load or store to mark, so one volatile load of it is added
; after the allocas, which keeps SROA from promoting it.  A local also passed to a declared
; function stays in memory anyway and gets none.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

declare i32 @_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare void @external(ptr)

define internal void @inc(ptr %p) {
  %v = load i64, ptr %p
  %v1 = add i64 %v, 1
  store i64 %v1, ptr %p
  ret void
}

define void @f(ptr %frame) {
; CHECK-LABEL: define void @f(
; CHECK:       %n = alloca i64
; CHECK-NEXT:  %m = alloca i64
; CHECK-NEXT:  %stmc.keep = load volatile i64, ptr %n
; CHECK-NOT:   load volatile i64, ptr %m
; CHECK:       ret void
entry:
  %n = alloca i64
  %m = alloca i64
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_setjmp(ptr %frame) returns_twice
  call void @inc(ptr %n)
  call void @inc(ptr %m)
  call void @external(ptr %m)
  br label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  call void @inc(ptr %n)
  call void @inc(ptr %m)
  ret void
}
