; An STM heap pointer passed through the "..." of a function stmc did not compile (printf's %s)
; would be dereferenced without %gs: warned, unless the call's constant format prints it with
; %p.  A variadic function that stmc compiles (not a library function) gets it as it is.
; RUN: %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s --check-prefix=COUNT

source_filename = "va.c"

@s = private constant [4 x i8] c"%s\0A\00"
@p = private constant [7 x i8] c"%p %d\0A\00"
@star = private constant [12 x i8] c"%*d %%%p %s\00"

declare i32 @printf(ptr, ...)
declare i32 @fprintf(ptr, ptr, ...)
declare void @mine(i32, ...)

define void @f(ptr addrspace(256) %h, ptr %file) {
  call i32 (ptr, ...) @printf(ptr @s, ptr addrspace(256) %h)
  call i32 (ptr, ...) @printf(ptr @p, ptr addrspace(256) %h, i32 1)
  call i32 (ptr, ptr, ...) @fprintf(ptr %file, ptr @star, i32 3, i32 4, ptr addrspace(256) %h, ptr addrspace(256) %h)
  call void (i32, ...) @mine(i32 1, ptr addrspace(256) %h)
  ret void
}
; CHECK: warning: in function 'f' (va.c): stmc: an STM heap pointer is passed to 'printf' as a variadic argument: it is %gs-relative, so code stmc did not compile cannot dereference it (hint: copy the data to plain memory first
; CHECK: warning: in function 'f' (va.c): stmc: an STM heap pointer is passed to 'fprintf' as a variadic argument
; COUNT-COUNT-2: stmc: an STM heap pointer is passed
; COUNT-NOT: stmc: an STM heap pointer is passed
