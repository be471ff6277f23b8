; In a function with an atomic block (a returns_twice call), calls to defined functions that
; contain a loop get a noinline call site: inlined, their loops would be register-allocated as
; part of the setjmp caller, with extra copies (bank's audit loop: 11.6 instructions an account
; against 7.5).  Calls to loop-free functions, to always_inline ones, and calls from a function
; without setjmp stay as they are.  -stmc-outline-loops=0: no call site is changed.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-outline-loops=0 -S < %s | FileCheck %s --check-prefix=OFF

declare i32 @_setjmp(ptr) returns_twice

define internal i64 @sum_to(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %s1 = add i64 %s, %i
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret i64 %s1
}

define internal i64 @twice(i64 %n) {
  %r = shl i64 %n, 1
  ret i64 %r
}

define internal i64 @sum_to_always(i64 %n) alwaysinline {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret i64 %i1
}

define i64 @with_block(ptr %jb, i64 %n) {
; CHECK-LABEL: define i64 @with_block(
; CHECK:       %a = call i64 @sum_to(i64 %n) #[[NOINLINE:[0-9]+]]
; CHECK-NEXT:  %b = call i64 @twice(i64 %n){{$}}
; CHECK-NEXT:  %c = call i64 @sum_to_always(i64 %n){{$}}
; OFF-LABEL:   define i64 @with_block(
; OFF:         %a = call i64 @sum_to(i64 %n){{$}}
  %r = call i32 @_setjmp(ptr %jb) returns_twice
  %a = call i64 @sum_to(i64 %n)
  %b = call i64 @twice(i64 %n)
  %c = call i64 @sum_to_always(i64 %n)
  %ab = add i64 %a, %b
  %abc = add i64 %ab, %c
  ret i64 %abc
}

define i64 @without_block(i64 %n) {
; CHECK-LABEL: define i64 @without_block(
; CHECK:       %a = call i64 @sum_to(i64 %n){{$}}
  %a = call i64 @sum_to(i64 %n)
  ret i64 %a
}

; CHECK: attributes #[[NOINLINE]] = { noinline }
