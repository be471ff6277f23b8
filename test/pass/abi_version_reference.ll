; Every instrumented module refers to _stm_abi_v6 (a runtime of another ABI fails to link).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument < %s | llc -filetype=obj -o %t.o
; RUN: llvm-nm %t.o | FileCheck --check-prefix=NM %s

; CHECK: @_stm_abi_v6 = external constant i32
; CHECK: @.stmc.abi_ref = private constant ptr @_stm_abi_v6
; CHECK: @llvm.compiler.used = appending global [1 x ptr] [ptr @.stmc.abi_ref]
; NM: U _stm_abi_v6

define void @f() {
  ret void
}
