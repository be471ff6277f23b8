; An invoke of an external function: _stm_external_enter before it, _stm_external_leave on
; the normal edge and after the landing pad.  (Without the pass's SimplifyCFG, which would
; turn the invoke of this cleanup-only landing pad into a call.)
; RUN: %opt_stm -passes=stmc-instrument -stmc-simplify-cfg=false -S < %s | FileCheck %s

declare i32 @puts(ptr)
declare i32 @__gxx_personality_v0(...)

define void @f(ptr %s) personality ptr @__gxx_personality_v0 {
; CHECK-LABEL: define void @f(
; CHECK:      call void @_stm_external_enter(ptr [[SITE:@.stmc.site[.0-9]*]])
; CHECK-NEXT: invoke i32 @puts(ptr %s)
; CHECK:      ok:
; CHECK-NEXT: call void @_stm_external_leave(ptr [[SITE]])
; CHECK:      lp:
; CHECK-NEXT: landingpad
; CHECK-NEXT: cleanup
; CHECK-NEXT: call void @_stm_external_leave(ptr [[SITE]])
entry:
  %r = invoke i32 @puts(ptr %s) to label %ok unwind label %lp
ok:
  ret void
lp:
  %l = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %l
}
