; (e) A load made on every iteration of a counted innermost loop without calls, at an address
; that advances by at most a granule, gets one read barrier over its whole range in the
; preheader, and none in the loop; the safe point runs it again when its slow path ended the
; transaction (RV changed).  The count: once per back-edge taken when the exit test comes
; first (the header), once more when it comes last (the latch); the range of a load that
; walks down starts at its last address.  Loads that may not run on every iteration, loops
; with a call, with a second exit or whose trip count SCEV cannot compute keep their
; barriers (steps wider than a granule and the load: range_barrier_strided.ll).
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-range-barriers=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-range-barriers=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s

; for (i = 0; i < n; i++) s += a[i]: the header tests, the body loads: n loads.
define i64 @sum(ptr addrspace(256) %a, i64 %n) {
; CHECK-LABEL: define i64 @sum(
; CHECK:      entry:
; CHECK:      [[CNT:%.*]] = {{.*}}%n
; CHECK:      [[FIRST:%stmc.range.first.*]] = ptrtoint ptr addrspace(256) %a to i64
; CHECK:      [[SPAN:%stmc.range.span.*]] = mul i64 %{{.*}}, 8
; CHECK:      [[LEN:%stmc.range.len.*]] = add i64 [[SPAN]], 8
; CHECK:      [[ANY:%.*]] = icmp ne i64 [[CNT]], 0
; CHECK:      [[RV:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4096
; CHECK:      icmp ne i8 [[RV]], 1
; CHECK:      call void @_stm_read_slow(i64 [[FIRST]], i64 [[LEN]],
; CHECK:      head:
; CHECK-NOT:  call void @_stm_read_slow(
; CHECK:      %v = load i64, ptr addrspace(256) %p
; CHECK:      [[BEFORE:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4096
; CHECK-NEXT: call void @_stm_safepoint_slow(
; CHECK-NEXT: [[AFTER:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4096
; CHECK-NEXT: icmp ne i8 [[BEFORE]], [[AFTER]]
; CHECK:      call void @_stm_read_slow(i64 [[FIRST]], i64 [[LEN]],
; CHECK:      done:
; OFF-LABEL:  define i64 @sum(
; OFF:        body:
; OFF:        call void @_stm_read_slow(
; OFF:        %v = load i64, ptr addrspace(256) %p
entry:
  br label %head
head:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %c = icmp slt i64 %i, %n
  br i1 %c, label %body, label %done
body:
  %p = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  %v = load i64, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %v
  %i1 = add nsw i64 %i, 1
  br label %head
done:
  ret i64 %s
}

; if (n > 0) do { s += a[i]; } while (--i > 0), i from %n: the latch tests last, so the count
; is the back-edges taken + 1; the address walks down by 4, so the range starts at the last
; one.  The loop has no preheader (its guard's block enters it): it gets one, so that the
; range barrier runs only where the loop does.
define i32 @down(ptr addrspace(256) %a, i64 %n) {
; CHECK-LABEL: define i32 @down(
; CHECK:      loop.preheader:
; CHECK:      [[F:%stmc.range.first.*]] = ptrtoint
; CHECK:      [[SP:%stmc.range.span.*]] = mul i64 %{{.*}}, 4
; CHECK:      [[LE:%stmc.range.len.*]] = add i64 [[SP]], 4
; CHECK:      [[LO:%stmc.range.lo.*]] = sub i64 [[F]], [[SP]]
; CHECK:      call void @_stm_read_slow(i64 [[LO]], i64 [[LE]],
; CHECK:      loop:
; CHECK-NOT:  call void @_stm_read_slow(
; CHECK:      %v = load i32, ptr addrspace(256) %p
entry:
  %pos = icmp sgt i64 %n, 0
  br i1 %pos, label %loop, label %done
loop:
  %i = phi i64 [ %n, %entry ], [ %i1, %loop ]
  %s = phi i32 [ 0, %entry ], [ %s1, %loop ]
  %p = getelementptr inbounds i32, ptr addrspace(256) %a, i64 %i
  %v = load i32, ptr addrspace(256) %p, align 4
  %s1 = add i32 %s, %v
  %i1 = add nsw i64 %i, -1
  %c = icmp sgt i64 %i1, 0
  br i1 %c, label %loop, label %done
done:
  %r = phi i32 [ 0, %entry ], [ %s1, %loop ]
  ret i32 %r
}

; A load behind a condition, a second exit (break), a call, and a bound read from the heap
; inside the loop: barriers stay in the loop.
define i64 @kept(ptr addrspace(256) %a, i64 %n, ptr addrspace(256) %len, ptr %sink) {
; CHECK-LABEL: define i64 @kept(
; CHECK:      cond:
; CHECK:      call void @_stm_read_slow(
; CHECK:      %v1 = load i64
; CHECK:      brk:
; CHECK:      call void @_stm_read_slow(
; CHECK:      %v2 = load i64
; CHECK:      call void @ext()
; CHECK:      call void @_stm_read_slow(
; CHECK:      %v3 = load i64
; CHECK:      heapn:
; CHECK:      call void @_stm_read_slow(
; CHECK:      %v5 = load i64
entry:
  br label %h1
h1:
  %i = phi i64 [ 0, %entry ], [ %i1, %l1 ]
  %c1 = icmp slt i64 %i, %n
  br i1 %c1, label %b1, label %h2
b1:
  %odd = and i64 %i, 1
  %isodd = icmp ne i64 %odd, 0
  br i1 %isodd, label %cond, label %l1
cond:
  %p1 = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  %v1 = load i64, ptr addrspace(256) %p1, align 8
  store i64 %v1, ptr %sink
  br label %l1
l1:
  %i1 = add nsw i64 %i, 1
  br label %h1
h2:
  %j = phi i64 [ 0, %h1 ], [ %j1, %brk ]
  %c2 = icmp slt i64 %j, %n
  br i1 %c2, label %brk, label %h3
brk:
  %p2 = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %j
  %v2 = load i64, ptr addrspace(256) %p2, align 8
  %z = icmp eq i64 %v2, 0
  %j1 = add nsw i64 %j, 1
  br i1 %z, label %out, label %h2
h3:
  %k = phi i64 [ 0, %h2 ], [ %k1, %calls ]
  %c3 = icmp slt i64 %k, %n
  br i1 %c3, label %calls, label %h5
calls:
  call void @ext()
  %p3 = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %k
  %v3 = load i64, ptr addrspace(256) %p3, align 8
  store i64 %v3, ptr %sink
  %k1 = add nsw i64 %k, 1
  br label %h3
h5:
  %q = phi i64 [ 0, %h3 ], [ %q1, %heapn ]
  %bound = load i64, ptr addrspace(256) %len, align 8
  %c5 = icmp slt i64 %q, %bound
  br i1 %c5, label %heapn, label %out
heapn:
  %p5 = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %q
  %v5 = load i64, ptr addrspace(256) %p5, align 8
  store i64 %v5, ptr %sink
  %q1 = add nsw i64 %q, 1
  br label %h5
out:
  ret i64 0
}

declare void @ext()

; REMARK: remark: <unknown>:0:0: read barrier covered by a range barrier in the loop preheader
; REPORT:     ranged 2 (into 2 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;
; REPORT-OFF: ranged 0 (into 0 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;
