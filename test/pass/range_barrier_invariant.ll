; (e) loop-invariant addresses computed in the loop: an access made on every iteration of a
; counted loop without calls at an address that ScalarEvolution finds loop-invariant, though
; the loop computes it (`c[i * n + j] += a[i * n + k] * b[k * n + j]` over k, as clang emits
; it before any optimisation), gets its barrier once in the preheader: a read range of the
; access's size (`_stm_read_slow(addr, 8)`, again after the loop's safe point's slow path,
; as every range outside blocks), or, for a store (and the load that `+=` makes
; before it) in a loop inside an atomic block, `_stm_write_slow(addr, 8)`.  No barrier in
; the loop.  The same read-modify-write after the block keeps its barriers (outside blocks
; stores get no ranges).
; -stmc-invariant-ranges=0: the barriers stay in the loop.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-invariant-ranges=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-invariant-ranges=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s

%frame = type { [8 x i64], i32, i32 }

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)

; for (k = 0; k < n; k++) s += x[i * n + 3]   (outside blocks: a read range of 8 bytes)
define i64 @read(ptr addrspace(256) %x, i64 %n, i64 %i) {
; CHECK-LABEL: define i64 @read(
; CHECK:      [[ADDR:%stmc.range.first.*]] = ptrtoint ptr addrspace(256) {{.*}} to i64
; CHECK:      [[LEN:%stmc.range.len.*]] = add i64 {{.*}}, 8
; CHECK:      call void @_stm_read_slow(i64 [[ADDR]], i64 [[LEN]], ptr
; CHECK:      loop:
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      %v = load i64, ptr addrspace(256) %p
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      call void @_stm_safepoint_slow(
; CHECK:      call void @_stm_read_slow(i64 [[ADDR]], i64 [[LEN]], ptr
; CHECK:      ret i64
; OFF-LABEL:  define i64 @read(
; OFF:        loop:
; OFF:        call void @_stm_read_slow(
; OFF:        %v = load i64, ptr addrspace(256) %p
entry:
  %c0 = icmp sgt i64 %n, 0
  br i1 %c0, label %loop, label %out
loop:
  %k = phi i64 [ 0, %entry ], [ %k1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %in = mul nsw i64 %i, %n
  %idx = add nsw i64 %in, 3
  %p = getelementptr inbounds i64, ptr addrspace(256) %x, i64 %idx
  %v = load i64, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %v
  %k1 = add nuw nsw i64 %k, 1
  %c = icmp slt i64 %k1, %n
  br i1 %c, label %loop, label %out
out:
  %r = phi i64 [ 0, %entry ], [ %s1, %loop ]
  ret i64 %r
}

; STM_ATOMIC { for (k = 0; k < n; k++) c[i * n + j] += a[k]; }
; for (k = 0; k < n; k++) c[i * n + j] += a[k];
define void @rmw(ptr addrspace(256) %c, ptr addrspace(256) %a, i64 %n, i64 %i, i64 %j) {
; CHECK-LABEL: define void @rmw(
; CHECK:      call i32 @_stm_setjmp(
; CHECK:      call void @_stm_write_slow(i64 [[CADDR:%stmc.range.first.*]], i64 {{%stmc.range.len.*}}, ptr
; CHECK:      blk:
; CHECK-NOT:  call void @_stm_write_slow
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      %cv = load i64, ptr addrspace(256) %pc
; CHECK-NOT:  call void @_stm_write_slow
; CHECK:      store i64 %cv1, ptr addrspace(256) %pc
; CHECK:      call void @_stm_atomic_cleanup(
; CHECK:      after:
; CHECK:      call void @_stm_write_slow(
; CHECK:      store i64 %dv1, ptr addrspace(256) %pd
; OFF-LABEL:  define void @rmw(
; OFF:        blk:
; OFF:        call void @_stm_write_slow(
; OFF:        store i64 %cv1, ptr addrspace(256) %pc
entry:
  %fr = alloca %frame
  %pre = call i32 @_stm_atomic_pre(ptr %fr)
  %jb = getelementptr inbounds %frame, ptr %fr, i32 0, i32 0
  %r = call i32 @_stm_setjmp(ptr %jb) returns_twice
  %go = icmp sgt i64 %n, 0
  br i1 %go, label %blk, label %end
blk:
  %k = phi i64 [ 0, %entry ], [ %k1, %blk ]
  %in = mul nsw i64 %i, %n
  %idx = add nsw i64 %in, %j
  %pc = getelementptr inbounds i64, ptr addrspace(256) %c, i64 %idx
  %pa = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %k
  %av = load i64, ptr addrspace(256) %pa, align 8
  %cv = load i64, ptr addrspace(256) %pc, align 8
  %cv1 = add i64 %cv, %av
  store i64 %cv1, ptr addrspace(256) %pc, align 8
  %k1 = add nuw nsw i64 %k, 1
  %ck = icmp slt i64 %k1, %n
  br i1 %ck, label %blk, label %end
end:
  call void @_stm_atomic_cleanup(ptr %fr)
  br i1 %go, label %after, label %done
after:
  %m = phi i64 [ 0, %end ], [ %m1, %after ]
  %in2 = mul nsw i64 %i, %n
  %idx2 = add nsw i64 %in2, %j
  %pd = getelementptr inbounds i64, ptr addrspace(256) %c, i64 %idx2
  %dv = load i64, ptr addrspace(256) %pd, align 8
  %dv1 = add i64 %dv, 1
  store i64 %dv1, ptr addrspace(256) %pd, align 8
  %m1 = add nuw nsw i64 %m, 1
  %cm = icmp slt i64 %m1, %n
  br i1 %cm, label %after, label %done
done:
  ret void
}

; @read's load, and @rmw's store in the block (its load carries the store's barrier); @rmw's
; contiguous a[k] is a range of its own
; REPORT:     ranged 3 (into 3 range barriers, 0 of them strided (0 by a stride known at run time), 2 at a loop-invariant address, 1 for writes;
; REPORT-OFF: ranged 1 (into 1 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes;
