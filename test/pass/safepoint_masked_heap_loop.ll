; A loop whose only heap access is a masked load (an AVX-512 builtin) may wait on what it reads
; (here, for a flag another thread sets): it keeps its safe point.  Intrinsics other than the
; memcpy family counted as quiet, so such a loop lost it.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

; CHECK-LABEL: define void @spin(
; CHECK: loop:
; CHECK: call void @_stm_safepoint_slow(
; CHECK: done:
define void @spin(ptr addrspace(256) %p) {
entry:
  br label %loop
loop:
  %v = call <16 x i32> @llvm.masked.load.v16i32.p256(ptr addrspace(256) %p, i32 4, <16 x i1> <i1 true, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false, i1 false>, <16 x i32> zeroinitializer)
  %f = extractelement <16 x i32> %v, i64 0
  %c = icmp eq i32 %f, 0
  br i1 %c, label %loop, label %done
done:
  ret void
}

declare <16 x i32> @llvm.masked.load.v16i32.p256(ptr addrspace(256), i32, <16 x i1>, <16 x i32>)
