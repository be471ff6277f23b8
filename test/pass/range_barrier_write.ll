; (e) writes: in a loop wholly inside an atomic block of the same function, a store made on
; every iteration of a counted loop without calls, at an address that advances by at most a
; granule (or its size), gets one write barrier over all the bytes it will write in the
; preheader, `_stm_write_slow(lo, len)`, when the count is not 0 (also in an unmarked attempt,
; RV == 1: the slow path upgrades it, as the inline barrier's would), and none in the loop;
; `a[i] += x` too (the load carries the store's write barrier).  The same loop after the
; block keeps its barrier: outside blocks each end of the implicit transaction (every
; hand-over of the token) would commit and record the whole range again (a review's fill
; beside one other thread crawled).  A store with a step wider than a granule keeps its
; barrier.  A static function that only blocks call runs in a transaction too: its store loop
; gets the range, while one that is also called after the block keeps its barrier.
; -stmc-range-writes=0: the write barriers stay in the loop.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-range-writes=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-range-writes=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s

%frame = type { [8 x i64], i32, i32 }

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)

; STM_ATOMIC { for (i = 0; i < n; i++) a[i] = v; for (i = 0; i < n; i++) b[i] += v;
;              for (i = 0; i < n; i++) c[i].x = v; }  for (i = 0; i < n; i++) a[i] = v;
define void @f(ptr addrspace(256) %a, ptr addrspace(256) %b, ptr addrspace(256) %c, i64 %n, i64 %v) {
; CHECK-LABEL: define void @f(
; CHECK:      call i32 @_stm_setjmp(
; CHECK:      [[FIRST:%stmc.range.first.*]] = ptrtoint ptr addrspace(256) %a to i64
; CHECK:      [[LEN:%stmc.range.len.*]] = add i64 {{.*}}, 8
; CHECK:      [[ANY:%stmc.range.any.*]] = icmp ne i64 {{.*}}, 0
; CHECK-NEXT: br i1 [[ANY]]
; CHECK:      call void @_stm_write_slow(i64 [[FIRST]], i64 [[LEN]],
; CHECK:      fill:
; CHECK-NOT:  call void @_stm_write
; CHECK:      store i64 %v, ptr addrspace(256) %pa
; CHECK:      [[BFIRST:%stmc.range.first.*]] = ptrtoint ptr addrspace(256) %b to i64
; CHECK:      call void @_stm_write_slow(i64 [[BFIRST]],
; CHECK:      add:
; CHECK-NOT:  call void @_stm_write
; CHECK:      store i64 %bv1, ptr addrspace(256) %pb
; CHECK:      field:
; CHECK:      call void @_stm_write_slow(
; CHECK:      store i64 %v, ptr addrspace(256) %pc
; CHECK:      call void @_stm_atomic_cleanup(
; CHECK:      after:
; CHECK:      call void @_stm_write_slow(
; CHECK:      store i64 %v, ptr addrspace(256) %pd
; CHECK-NOT:  call void @_stm_write_again
; OFF-LABEL:  define void @f(
; OFF:        fill:
; OFF:        call void @_stm_write_slow(
; OFF:        store i64 %v, ptr addrspace(256) %pa
; OFF:        add:
; OFF:        call void @_stm_write_slow(
; OFF:        %bv = load i64, ptr addrspace(256) %pb
entry:
  %fr = alloca %frame
  %p = call i32 @_stm_atomic_pre(ptr %fr)
  %jb = getelementptr inbounds %frame, ptr %fr, i32 0, i32 0
  %r = call i32 @_stm_setjmp(ptr %jb) returns_twice
  %go = icmp sgt i64 %n, 0
  br i1 %go, label %fill, label %end

fill:
  %i = phi i64 [ 0, %entry ], [ %i1, %fill ]
  %pa = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  store i64 %v, ptr addrspace(256) %pa, align 8
  %i1 = add nsw i64 %i, 1
  %ci = icmp slt i64 %i1, %n
  br i1 %ci, label %fill, label %add.pre

add.pre:
  br label %add

add:
  %j = phi i64 [ 0, %add.pre ], [ %j1, %add ]
  %pb = getelementptr inbounds i64, ptr addrspace(256) %b, i64 %j
  %bv = load i64, ptr addrspace(256) %pb, align 8
  %bv1 = add i64 %bv, %v
  store i64 %bv1, ptr addrspace(256) %pb, align 8
  %j1 = add nsw i64 %j, 1
  %cj = icmp slt i64 %j1, %n
  br i1 %cj, label %add, label %field.pre

field.pre:
  br label %field

field:
  %k = phi i64 [ 0, %field.pre ], [ %k1, %field ]
  %pc = getelementptr inbounds [4 x i64], ptr addrspace(256) %c, i64 %k, i64 1
  store i64 %v, ptr addrspace(256) %pc, align 8
  %k1 = add nsw i64 %k, 1
  %ck = icmp slt i64 %k1, %n
  br i1 %ck, label %field, label %end

end:
  call void @inblock(ptr addrspace(256) %a, i64 %n, i64 %v)
  call void @both(ptr addrspace(256) %a, i64 %n, i64 %v)
  call void @_stm_atomic_cleanup(ptr %fr)
  call void @both(ptr addrspace(256) %a, i64 %n, i64 %v)
  br i1 %go, label %after, label %done

after:
  %m = phi i64 [ 0, %end ], [ %m1, %after ]
  %pd = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %m
  store i64 %v, ptr addrspace(256) %pd, align 8
  %m1 = add nsw i64 %m, 1
  %cm = icmp slt i64 %m1, %n
  br i1 %cm, label %after, label %done

done:
  ret void
}

; REPORT:     ranged 3 (into 3 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 3 for writes;
; REPORT-OFF: ranged 0 (into 0 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;

; only called inside @f's block
define internal void @inblock(ptr addrspace(256) %a, i64 %n, i64 %v) {
; CHECK-LABEL: define internal void @inblock(
; CHECK:      call void @_stm_write_slow(i64 %stmc.range.first
; CHECK:      loop:
; CHECK-NOT:  call void @_stm_write_slow
; CHECK:      ret void
; OFF-LABEL:  define internal void @inblock(
; OFF:        loop:
; OFF:        call void @_stm_write_slow(
entry:
  %go = icmp sgt i64 %n, 0
  br i1 %go, label %loop, label %out
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %p = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  store i64 %v, ptr addrspace(256) %p, align 8
  %i1 = add nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %out
out:
  ret void
}

; called inside the block and after it
define internal void @both(ptr addrspace(256) %a, i64 %n, i64 %v) {
; CHECK-LABEL: define internal void @both(
; CHECK:      loop:
; CHECK:      call void @_stm_write_slow(
; CHECK:      store i64 %v, ptr addrspace(256) %p
entry:
  %go = icmp sgt i64 %n, 0
  br i1 %go, label %loop, label %out
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %p = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  store i64 %v, ptr addrspace(256) %p, align 8
  %i1 = add nsw i64 %i, 1
  %c = icmp slt i64 %i1, %n
  br i1 %c, label %loop, label %out
out:
  ret void
}
