; Accesses in a landing pad and after an invoke are barriered; the invoke (an unknown call)
; ends the same-granule elision.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

declare void @may_throw()
declare i32 @__gxx_personality_v0(...)

define i64 @f(ptr addrspace(256) %p) personality ptr @__gxx_personality_v0 {
; CHECK-LABEL: define i64 @f(
; CHECK:      call void @_stm_read_slow(
; CHECK:      %a = load i64, ptr addrspace(256) %p
; CHECK:      invoke void @may_throw()
; CHECK:      call void @_stm_read_slow(
; CHECK:      %b = load i64, ptr addrspace(256) %p
; CHECK:      landingpad
; CHECK:      call void @_stm_write_slow(
; CHECK:      store i64 0, ptr addrspace(256) %p
entry:
  %a = load i64, ptr addrspace(256) %p, align 8
  invoke void @may_throw() to label %ok unwind label %lp
ok:
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %a, %b
  ret i64 %s
lp:
  %l = landingpad { ptr, i32 } cleanup
  store i64 0, ptr addrspace(256) %p, align 8
  resume { ptr, i32 } %l
}
