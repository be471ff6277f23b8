; An innermost loop outside atomic blocks whose only runtime code is its safe point (its heap
; load ranged before it) and whose trip count is computable gets a copy without the safe
; point, which runs when the backedge-taken count is below -stmc-short-loop-trips (1024): the
; preheader tests it, the copy's latch goes straight back to its header, the exit's phi
; takes the copy's value too, and the exit has one safe point for either version (code around
; the loop, a recursion, may have none).  A loop with an inline barrier left (a gather, a[idx[j]]) keeps
; one version.  -stmc-short-loop-copies=0: one version each.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-short-loop-trips=64 < %s | FileCheck %s --check-prefix=T64
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-short-loop-copies=0 < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-short-loop-copies=0 < %s 2>&1 | FileCheck %s --check-prefix=REPORT-OFF

; long s = 0; for (j = 0; j < n; j++) s += a[j];
define i64 @sum(ptr addrspace(256) %a, i64 %n) {
; CHECK-LABEL: define i64 @sum(
; CHECK:      call void @_stm_read_slow(
; CHECK:      %stmc.short.run = icmp ult i64 %{{.*}}, 1024
; CHECK-NEXT: br i1 %stmc.short.run, label %stmc.long.stmc.short, label %stmc.long
; CHECK:      head.stmc.short:
; CHECK-NOT:  _stm_safepoint_slow
; CHECK-NOT:  stmc.yield
; CHECK:      br label %head.stmc.short
; CHECK:      stmc.long:
; CHECK:      head:
; CHECK:      call void @_stm_safepoint_slow(
; CHECK:      end:
; CHECK-NEXT: %s.lcssa = phi i64 [ %s, %head ], [ %s.stmc.short, %head.stmc.short ]
; CHECK-NEXT: %stmc.yield.exit = load volatile i8, ptr addrspace(256) inttoptr (i64 4098
; CHECK-NEXT: %[[ASK:[0-9]+]] = icmp ne i8 %stmc.yield.exit, 0
; CHECK-NEXT: br i1 %[[ASK]], label %[[SP:[0-9]+]], label
; CHECK:      [[SP]]:
; CHECK-NEXT: call void @_stm_safepoint_slow(
; T64-LABEL:  define i64 @sum(
; T64:        %stmc.short.run = icmp ult i64 %{{.*}}, 64
; OFF-LABEL:  define i64 @sum(
; OFF-NOT:    stmc.short
; OFF:        call void @_stm_safepoint_slow(
; OFF-NOT:    stmc.short
; OFF:        ret i64
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %t = icmp slt i64 %j, %n
  br i1 %t, label %body, label %end

body:
  %pe = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %j
  %v = load i64, ptr addrspace(256) %pe, align 8
  %s1 = add i64 %s, %v
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  ret i64 %s
}

; s += a[idx[j]]: the element's barrier stays in the loop, which keeps one version.
define i64 @gather(ptr addrspace(256) %a, ptr %idx, i64 %n) {
; CHECK-LABEL: define i64 @gather(
; CHECK-NOT:  stmc.short
; CHECK:      ret i64
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %t = icmp slt i64 %j, %n
  br i1 %t, label %body, label %end

body:
  %pi = getelementptr inbounds i64, ptr %idx, i64 %j
  %i = load i64, ptr %pi, align 8
  %pe = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  %v = load i64, ptr addrspace(256) %pe, align 8
  %s1 = add i64 %s, %v
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  ret i64 %s
}

; REPORT: 1 loops copied without one for short runs)
; REPORT-OFF: 0 loops copied without one for short runs)
