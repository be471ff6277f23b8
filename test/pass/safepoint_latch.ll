; A loop back-edge gets a safe point: YIELD from the header, _stm_safepoint_slow when set.
; -stmc-safepoints=0 turns them off.  The loop here spins on an atomic flag (it can wait for
; another thread); quiet loops are in safepoint_quiet_loop.ll.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-safepoints=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

define void @spin(i64 %n, ptr %flag) {
; CHECK-LABEL: define void @spin(
; CHECK:      loop:
; The YIELD byte is set by other threads: the load is volatile, so it stays in the loop.
; CHECK:      [[Y:%.*]] = load volatile i8, ptr addrspace(256) inttoptr (i64 4098 to ptr addrspace(256)), align 1, {{.*}}!stmc.internal
; CHECK-NEXT: [[C:%.*]] = icmp ne i8 [[Y]], 0
; CHECK-NEXT: br i1 [[C]], label %[[SLOW:.*]], label %[[CONT:.*]], !prof
; CHECK:      [[SLOW]]:
; CHECK-NEXT: call void @_stm_safepoint_slow(ptr @.stmc.site)
; CHECK:      [[CONT]]:
; CHECK-NEXT: br i1 %c, label %loop, label %done
; OFF-NOT:    call void @_stm_safepoint_slow(
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %i1 = add i64 %i, 1
  %f = load atomic i32, ptr %flag acquire, align 4
  %z = icmp eq i32 %f, 0
  %lt = icmp ult i64 %i1, %n
  %c = and i1 %z, %lt
  br i1 %c, label %loop, label %done
done:
  ret void
}
; REPORT: safe points 1 (0 left out of loops that cannot wait, 0 of loops inside atomic blocks, 0 loops copied without one for short runs),
