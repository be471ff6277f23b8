; A function with an atomic block (a returns-twice call) is kept out of line, also where a call
; site asks for inlining (clang's always_inline on the calls of a `flatten` function, C23's
; [[clang::always_inline]] statement attribute), which outranks the function's noinline: the
; call sites get noinline too.  (With -fexceptions the setjmp is an invoke, and LLVM inlined
; it; test e2e/inline_block_call_site.c.)
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; CHECK-LABEL: define void @caller(
; CHECK: call void @with_block(ptr %runs) [[CS:#[0-9]+]]
; CHECK: attributes [[CS]] = { noinline }

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @__gxx_personality_v0(...)

define void @with_block(ptr %runs) personality ptr @__gxx_personality_v0 {
entry:
  %jb = alloca [64 x i8], align 8
  %r = invoke i32 @_stm_setjmp(ptr %jb)
          to label %cont unwind label %lp
cont:
  %v = load i64, ptr %runs, align 8
  %v1 = add i64 %v, 1
  store i64 %v1, ptr %runs, align 8
  ret void
lp:
  %x = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %x
}

define void @caller(ptr %runs) {
  call void @with_block(ptr %runs) alwaysinline
  ret void
}
