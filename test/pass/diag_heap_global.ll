; A global variable in address space 256 is no heap object (it has a link-time address, not a
; heap offset): an error with a hint.
; RUN: not %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s

source_filename = "g.c"
@g = addrspace(256) global i64 0, align 8

define i64 @get() {
  %v = load i64, ptr addrspace(256) @g, align 8
  ret i64 %v
}
; CHECK: error: g.c: global 'g': stmc: global variable 'g' placed in the STM heap address space (hint: STM heap objects come from stm_alloc()
