; The constant format of a library call is walked to the conversion of each variadic heap
; pointer: "%*d %%%p %s" takes two ints for "%*d", prints the first heap pointer with %p (not
; diagnosed) and the second with %s (an error, naming fprintf).
; RUN: not %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s

source_filename = "va.c"

@star = private constant [12 x i8] c"%*d %%%p %s\00"

declare i32 @fprintf(ptr, ptr, ...)

define void @f(ptr addrspace(256) %h, ptr addrspace(256) %g, ptr %file) {
  call i32 (ptr, ptr, ...) @fprintf(ptr %file, ptr @star, i32 3, i32 4, ptr addrspace(256) %h, ptr addrspace(256) %g)
  ret void
}
; CHECK: error: in function 'f' (va.c): stmc: an STM heap pointer is passed to the library function 'fprintf' as a variadic argument
; CHECK-NOT: stmc:
