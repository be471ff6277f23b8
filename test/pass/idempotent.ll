; Running the pass twice instruments once (module flag "stmc.instrumented").
; RUN: %opt_stm -passes=stmc-instrument,stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S < %s | %opt_stm -passes=stmc-instrument -S | FileCheck %s

define i64 @get(ptr addrspace(256) %p) {
; CHECK-LABEL: define i64 @get(
; CHECK-COUNT-1: load i8, ptr addrspace(256) inttoptr (i64 4096 to ptr addrspace(256))
; CHECK-NOT:     load i8, ptr addrspace(256) inttoptr (i64 4096 to ptr addrspace(256))
; CHECK:         ret i64
  %v = load i64, ptr addrspace(256) %p, align 8
  ret i64 %v
}
; CHECK: !{i32 7, !"stmc.instrumented", i32 1}
