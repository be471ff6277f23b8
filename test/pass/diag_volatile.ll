; A volatile access to the STM heap is instrumented and diagnosed (what volatile means under
; STM).  Without debug locations the function and file are named.
; RUN: %opt_stm -passes=stmc-instrument -S < %s 2>%t.err | FileCheck %s
; RUN: FileCheck --check-prefix=DIAG %s < %t.err

source_filename = "vol.c"

define i32 @f(ptr addrspace(256) %p) {
; CHECK-LABEL: define i32 @f(
; CHECK:       call void @_stm_read_slow(
; CHECK:       load volatile i32, ptr addrspace(256) %p
  %v = load volatile i32, ptr addrspace(256) %p, align 4
  ret i32 %v
}
; DIAG: warning: in function 'f' (vol.c): stmc: volatile access to the STM heap: it is instrumented like any access; volatile neither publishes it before commit nor exempts it from rollback (hint:
