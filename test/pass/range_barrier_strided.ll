; (e) strided: a load of at most a granule whose address advances by more than a granule (one
; field of an array of structs, `s += a[i].val`) gets one strided range barrier in the
; preheader, `_stm_read_strided(lo, count, stride, size)`, which marks only the field's
; granules in each element (a range over the whole array would mark the other fields too,
; and their writers would conflict with the loop), and none in the loop.  Walking down, lo is
; the last element's address.  The loop's safe point runs it again when its slow path ended
; the transaction.  A load wider than a granule keeps its barrier.
; -stmc-strided-ranges=0: the barriers stay in the loop (and contiguous ranges stay).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-strided-ranges=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-strided-ranges=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s

%struct.item = type { i64, i64, i64, i64 }

; for (i = 0; i < n; i++) s += a[i].val  (32-byte elements, the field at offset 8)
define i64 @field(ptr addrspace(256) %a, i64 %n) {
; CHECK-LABEL: define i64 @field(
; CHECK:      entry:
; CHECK:      [[LO:%stmc.range.first.*]] = ptrtoint ptr addrspace(256) {{.*}} to i64
; CHECK:      call void @_stm_read_strided(i64 [[LO]], i64 {{%.*}}, i64 32, i64 8, ptr
; CHECK:      loop:
; CHECK-NOT:  call void @_stm_read
; CHECK:      %v = load i64, ptr addrspace(256) %p
; CHECK-NOT:  call void @_stm_read
; CHECK:      call void @_stm_safepoint_slow(
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      call void @_stm_read_strided(i64 [[LO]], i64 {{%.*}}, i64 32, i64 8, ptr
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      ret i64
; OFF-LABEL:  define i64 @field(
; OFF-NOT:    _stm_read_strided
; OFF:        loop:
; OFF:        call void @_stm_read_slow(
; OFF:        %v = load i64, ptr addrspace(256) %p
entry:
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %loop, label %out
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds %struct.item, ptr addrspace(256) %a, i64 %i, i32 1
  %v = load i64, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %v
  %i1 = add nuw nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %out
out:
  %r = phi i64 [ 0, %entry ], [ %s1, %loop ]
  ret i64 %r
}

; for (i = n - 1; i >= 0; i--) s += a[i].key  (walking down: lo = the last element's field)
define i64 @down(ptr addrspace(256) %a, i64 %n) {
; CHECK-LABEL: define i64 @down(
; CHECK:      [[SPAN:%stmc.range.span.*]] = mul i64 {{.*}}, 32
; CHECK:      [[DLO:%stmc.range.lo.*]] = sub i64 {{.*}}, [[SPAN]]
; CHECK:      call void @_stm_read_strided(i64 [[DLO]], i64 {{%.*}}, i64 32, i64 8, ptr
; CHECK:      loop:
; CHECK-NOT:  call void @_stm_read
; CHECK:      %v = load i64, ptr addrspace(256) %p
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      ret i64
entry:
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %pre, label %out
pre:
  %last = add nsw i64 %n, -1
  br label %loop
loop:
  %i = phi i64 [ %last, %pre ], [ %i1, %loop ]
  %s = phi i64 [ 0, %pre ], [ %s1, %loop ]
  %p = getelementptr inbounds %struct.item, ptr addrspace(256) %a, i64 %i, i32 0
  %v = load i64, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %v
  %i1 = add nsw i64 %i, -1
  %c = icmp sge i64 %i1, 0
  br i1 %c, label %loop, label %out
out:
  %r = phi i64 [ 0, %entry ], [ %s1, %loop ]
  ret i64 %r
}

; a 24-byte load (wider than a granule) every 32 bytes: its barrier stays in the loop
define i64 @wide(ptr addrspace(256) %a, i64 %n, ptr %sink) {
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
  %p = getelementptr inbounds %struct.item, ptr addrspace(256) %a, i64 %i, i32 0
  %v = load [3 x i64], ptr addrspace(256) %p, align 8
  store [3 x i64] %v, ptr %sink
  %i1 = add nuw nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %out
out:
  ret i64 0
}

; REPORT:     ranged 2 (into 2 range barriers, 2 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;
; REPORT-OFF: ranged 0 (into 0 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;
