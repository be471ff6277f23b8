; An STM heap pointer passed through the "..." of a library function (printf's %s) would be
; dereferenced without %gs: an error (it was a warning, and the program crashed at run time),
; unless the call's constant format prints it with %p.  A variadic function that stmc
; compiles (not a library function) gets it as it is.  (opt stops at the first error: the
; calls that must not be diagnosed come first; diag_heap_vararg_format.ll has the format walk.)
; RUN: not %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s
; RUN: not %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s --check-prefix=COUNT

source_filename = "va.c"

@s = private constant [4 x i8] c"%s\0A\00"
@p = private constant [7 x i8] c"%p %d\0A\00"

declare i32 @printf(ptr, ...)
declare void @mine(i32, ...)

define void @f(ptr addrspace(256) %h) {
  call i32 (ptr, ...) @printf(ptr @p, ptr addrspace(256) %h, i32 1)
  call void (i32, ...) @mine(i32 1, ptr addrspace(256) %h)
  call i32 (ptr, ...) @printf(ptr @s, ptr addrspace(256) %h)
  ret void
}
; CHECK: error: in function 'f' (va.c): stmc: an STM heap pointer is passed to the library function 'printf' as a variadic argument: it is %gs-relative, so code stmc did not compile cannot dereference it (hint: copy the data to plain memory first
; COUNT-COUNT-1: stmc: an STM heap pointer is passed
; COUNT-NOT: stmc: an STM heap pointer is passed
