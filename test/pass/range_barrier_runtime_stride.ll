; (e) run-time strides: a load of at most a granule whose address advances by a loop-invariant
; amount that is not a constant (`s += b[k * n + j]` over k: a column of a matrix) gets one
; strided range barrier in the preheader, `_stm_read_strided(lo, count, |step|, size)`, with
; |step| and lo computed there: the step may be negative (walking up the column), and then
; lo is the last element's address.  No barrier in the loop.  A load wider than a granule
; with such a step keeps its barrier.
; -stmc-runtime-strides=0: the barriers stay in the loop.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-runtime-strides=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-runtime-strides=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s

; for (k = 0; k < n; k++) s += b[k * m + j]
define i64 @column(ptr addrspace(256) %b, i64 %n, i64 %m, i64 %j) {
; CHECK-LABEL: define i64 @column(
; CHECK:      entry:
; CHECK:      [[DOWN:%stmc.range.down.*]] = icmp slt i64 [[STEP:%.*]], 0
; CHECK:      [[NEG:%.*]] = sub i64 0, [[STEP]]
; CHECK:      [[STRIDE:%stmc.range.stride.*]] = select i1 [[DOWN]], i64 [[NEG]], i64 [[STEP]]
; CHECK:      [[SPAN:%stmc.range.span.*]] = mul i64 {{.*}}, [[STRIDE]]
; CHECK:      [[LOW:%.*]] = sub i64 [[FIRST:%stmc.range.first.*]], [[SPAN]]
; CHECK:      [[LO:%stmc.range.lo.*]] = select i1 [[DOWN]], i64 [[LOW]], i64 [[FIRST]]
; CHECK:      call void @_stm_read_strided(i64 [[LO]], i64 {{%.*}}, i64 [[STRIDE]], i64 8, ptr
; CHECK:      loop:
; CHECK-NOT:  call void @_stm_read
; CHECK:      %v = load i64, ptr addrspace(256) %p
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      ret i64
; OFF-LABEL:  define i64 @column(
; OFF-NOT:    _stm_read_strided
; OFF:        loop:
; OFF:        call void @_stm_read_slow(
; OFF:        %v = load i64, ptr addrspace(256) %p
entry:
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %loop, label %out
loop:
  %k = phi i64 [ 0, %entry ], [ %k1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %km = mul nsw i64 %k, %m
  %idx = add nsw i64 %km, %j
  %p = getelementptr inbounds i64, ptr addrspace(256) %b, i64 %idx
  %v = load i64, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %v
  %k1 = add nuw nsw i64 %k, 1
  %c = icmp slt i64 %k1, %n
  br i1 %c, label %loop, label %out
out:
  %r = phi i64 [ 0, %entry ], [ %s1, %loop ]
  ret i64 %r
}

; a 24-byte load (wider than a granule) m elements apart: its barrier stays in the loop
define i64 @wide(ptr addrspace(256) %a, i64 %n, i64 %m, ptr %sink) {
; CHECK-LABEL: define i64 @wide(
; CHECK-NOT:  _stm_read_strided
; CHECK:      loop:
; CHECK:      call void @_stm_read_slow(
; CHECK:      %v = load [3 x i64], ptr addrspace(256) %p
entry:
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %loop, label %out
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %im = mul nsw i64 %i, %m
  %p = getelementptr inbounds [3 x i64], ptr addrspace(256) %a, i64 %im
  %v = load [3 x i64], ptr addrspace(256) %p, align 8
  store [3 x i64] %v, ptr %sink
  %i1 = add nuw nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %out
out:
  ret i64 0
}

; REPORT:     ranged 1 (into 1 range barriers, 1 of them strided (1 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;
; REPORT-OFF: ranged 0 (into 0 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;
