; A call to a memory(none) function ends same-granule elision unless the pass sees that the
; callee cannot end the transaction: a C library function (sqrt) or a loop-free function of
; this module that calls nothing that could.  A callee with a loop (a safe point), one that is
; only declared here (it may be compiled by stmc elsewhere, loops and all), and one whose
; definition the linker may replace (weak) keep the barrier after the call.
; -stmc-pure-boundary-check=0 (the old rule) elides after every one of them.
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S -stmc-pure-boundary-check=0 < %s | FileCheck --check-prefix=OFF %s

declare double @sqrt(double) memory(none)
declare i64 @elsewhere(i64) memory(none)

define i64 @loopfree(i64 %x) memory(none) {
  %y = mul i64 %x, 31
  ret i64 %y
}

define i64 @calls_loopfree(i64 %x) memory(none) {
  %y = call i64 @loopfree(i64 %x)
  ret i64 %y
}

define i64 @looping(i64 %n) memory(none) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %i1 = add i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %done
done:
  ret i64 %i1
}

define weak i64 @replaceable(i64 %x) memory(none) {
  ret i64 %x
}

; CHECK-LABEL: define i64 @lib(
; CHECK-COUNT-1: call void @_stm_read_slow(
; CHECK-NOT:     call void @_stm_read_slow(
; CHECK:         ret i64
define i64 @lib(ptr addrspace(256) %p) {
  %a = load i64, ptr addrspace(256) %p, align 8
  %d = sitofp i64 %a to double
  %r = call double @sqrt(double %d)
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %a, %b
  ret i64 %s
}

; CHECK-LABEL: define i64 @local(
; CHECK-COUNT-1: call void @_stm_read_slow(
; CHECK-NOT:     call void @_stm_read_slow(
; CHECK:         ret i64
define i64 @local(ptr addrspace(256) %p) {
  %a = load i64, ptr addrspace(256) %p, align 8
  %m = call i64 @calls_loopfree(i64 %a)
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %m, %b
  ret i64 %s
}

; CHECK-LABEL: define i64 @with_loop(
; CHECK:         call void @_stm_read_slow(
; CHECK:         call i64 @looping(
; CHECK:         call void @_stm_read_slow(
; OFF-LABEL: define i64 @with_loop(
; OFF:           call i64 @looping(
; OFF-NOT:       call void @_stm_read_slow(
; OFF:           ret i64
define i64 @with_loop(ptr addrspace(256) %p) {
  %a = load i64, ptr addrspace(256) %p, align 8
  %m = call i64 @looping(i64 %a)
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %m, %b
  ret i64 %s
}

; CHECK-LABEL: define i64 @declared(
; CHECK:         call void @_stm_read_slow(
; CHECK:         call i64 @elsewhere(
; CHECK:         call void @_stm_read_slow(
; OFF-LABEL: define i64 @declared(
; OFF:           call i64 @elsewhere(
; OFF-NOT:       call void @_stm_read_slow(
; OFF:           ret i64
define i64 @declared(ptr addrspace(256) %p) {
  %a = load i64, ptr addrspace(256) %p, align 8
  %m = call i64 @elsewhere(i64 %a)
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %m, %b
  ret i64 %s
}

; CHECK-LABEL: define i64 @weak_callee(
; CHECK:         call void @_stm_read_slow(
; CHECK:         call i64 @replaceable(
; CHECK:         call void @_stm_read_slow(
define i64 @weak_callee(ptr addrspace(256) %p) {
  %a = load i64, ptr addrspace(256) %p, align 8
  %m = call i64 @replaceable(i64 %a)
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %m, %b
  ret i64 %s
}

; A loop-free callee with a (seq_cst) atomic operation on plain memory: _stm_sync will end the implicit
; transaction there, also when that callee is instrumented after this function (it is defined
; later in the module): the barrier after the call stays.
; CHECK-LABEL: define i64 @calls_counter(
; CHECK:         call void @_stm_read_slow(
; CHECK:         call i64 @counts(
; CHECK:         call void @_stm_read_slow(
define i64 @calls_counter(ptr addrspace(256) %p) {
  %a = load i64, ptr addrspace(256) %p, align 8
  %m = call i64 @counts(i64 %a)
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %m, %b
  ret i64 %s
}

@ncalls = global i64 0

define i64 @counts(i64 %x) memory(none) {
  %old = atomicrmw add ptr @ncalls, i64 1 seq_cst, align 8
  ret i64 %x
}
