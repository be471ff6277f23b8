; A local that the atomic block changes through a pointer loaded from another local
; (`pp = &c; (*pp)++`) is the block's change of that local: the accesses through the loaded
; pointer become volatile, so that when SROA promotes pp they stay accesses of c in memory.
; Likewise through a pointer a call returns (`q = id(&q0)`).  A local whose address is stored
; into a global is kept as well (its accesses cannot all be found), although the block itself
; only reads it.  A local the block never changes (%r) is left alone.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

declare i32 @_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)
declare ptr @id(ptr)
declare void @use(i64)

@g = global ptr null

define void @f(ptr %frame) {
; (The pass then promotes pp itself: the accesses through it are c's, volatile.)
; CHECK-LABEL: define void @f(
; CHECK:       body:
; CHECK:       %v = load volatile i64, ptr %c
; CHECK:       store volatile i64 %v1, ptr %c
; CHECK:       %v2 = load volatile i64, ptr %q
; CHECK:       store volatile i64 %v3, ptr %q
; CHECK:       %v4 = load volatile i64, ptr %e
; CHECK-NOT:   volatile
; CHECK:       call void @use(i64
; CHECK:       ret void
entry:
  %c = alloca i64
  %pp = alloca ptr
  %q0 = alloca i64
  %e = alloca i64
  %r = alloca i64
  store i64 0, ptr %c
  store ptr %c, ptr %pp
  store i64 0, ptr %q0
  %q = call ptr @id(ptr %q0)
  store i64 0, ptr %e
  store ptr %e, ptr @g
  store i64 0, ptr %r
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %sj = call i32 @_setjmp(ptr %frame) returns_twice
  %p1 = load ptr, ptr %pp
  %v = load i64, ptr %p1
  %v1 = add i64 %v, 1
  store i64 %v1, ptr %p1
  %v2 = load i64, ptr %q
  %v3 = add i64 %v2, 1
  store i64 %v3, ptr %q
  %v4 = load i64, ptr %e
  %v5 = load i64, ptr %r
  call void @use(i64 %v5)
  br label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  ret void
}
