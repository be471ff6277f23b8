; (e) writes: a store made on every iteration of a counted innermost loop without calls, at an
; address that advances by at most a granule (or its size), gets one write barrier over all
; the bytes it will write in the preheader, `_stm_write_slow(lo, len)`, when the count is not 0
; (also in an unmarked attempt, RV == 1: the slow path upgrades it, as the inline barrier's
; would), and none in the loop; `a[i] += x` too (the load carries the store's write barrier).
; After a safe point whose slow path ended the transaction (RV changed), the range goes back
; into the next one's write set with `_stm_write_again` (not counted towards the implicit
; transaction's size limit).  A store with a step wider than a granule keeps its barrier.
; -stmc-range-writes=0: the write barriers stay in the loop (the read ranges stay).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-range-writes=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-range-writes=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-OFF %s

; for (i = 0; i < n; i++) a[i] = v
define void @fill(ptr addrspace(256) %a, i64 %n, i64 %v) {
; CHECK-LABEL: define void @fill(
; CHECK:      [[CNT:%.*]] = {{.*}}%n
; CHECK:      [[FIRST:%stmc.range.first.*]] = ptrtoint ptr addrspace(256) %a to i64
; CHECK:      [[LEN:%stmc.range.len.*]] = add i64 {{.*}}, 8
; CHECK:      [[ANY:%stmc.range.any.*]] = icmp ne i64 [[CNT]], 0
; CHECK-NEXT: br i1 [[ANY]]
; CHECK:      call void @_stm_write_slow(i64 [[FIRST]], i64 [[LEN]],
; CHECK:      head:
; CHECK-NOT:  call void @_stm_write
; CHECK:      store i64 %v, ptr addrspace(256) %p
; CHECK:      call void @_stm_safepoint_slow(
; CHECK-NOT:  call void @_stm_write_slow
; CHECK:      call void @_stm_write_again(i64 [[FIRST]], i64 [[LEN]],
; CHECK:      done:
; OFF-LABEL:  define void @fill(
; OFF-NOT:    _stm_write_again
; OFF:        body:
; OFF:        call void @_stm_write_slow(
; OFF:        store i64 %v, ptr addrspace(256) %p
entry:
  br label %head
head:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %c = icmp slt i64 %i, %n
  br i1 %c, label %body, label %done
body:
  %p = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  store i64 %v, ptr addrspace(256) %p, align 8
  %i1 = add nsw i64 %i, 1
  br label %head
done:
  ret void
}

; for (i = 0; i < n; i++) a[i] += x: the load carries the write barrier (read-before-write)
define void @add(ptr addrspace(256) %a, i64 %n, i64 %x) {
; CHECK-LABEL: define void @add(
; CHECK:      call void @_stm_write_slow(i64 %stmc.range.first{{.*}}, i64 %stmc.range.len
; CHECK:      head:
; CHECK-NOT:  call void @_stm_write_slow
; CHECK:      %v = load i64, ptr addrspace(256) %p
; CHECK-NOT:  call void @_stm_write_slow
; CHECK:      store i64 %v1, ptr addrspace(256) %p
; CHECK:      call void @_stm_write_again(
; OFF-LABEL:  define void @add(
; OFF:        body:
; OFF:        call void @_stm_write_slow(
; OFF:        %v = load i64, ptr addrspace(256) %p
entry:
  br label %head
head:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %c = icmp slt i64 %i, %n
  br i1 %c, label %body, label %done
body:
  %p = getelementptr inbounds i64, ptr addrspace(256) %a, i64 %i
  %v = load i64, ptr addrspace(256) %p, align 8
  %v1 = add i64 %v, %x
  store i64 %v1, ptr addrspace(256) %p, align 8
  %i1 = add nsw i64 %i, 1
  br label %head
done:
  ret void
}

; a[i].x = v in an array of 32-byte structs: a store range would write the other fields too:
; its barrier stays in the loop
define void @field(ptr addrspace(256) %a, i64 %n, i64 %v) {
; CHECK-LABEL: define void @field(
; CHECK:      body:
; CHECK:      call void @_stm_write_slow(
; CHECK:      store i64 %v, ptr addrspace(256) %p
entry:
  br label %head
head:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %c = icmp slt i64 %i, %n
  br i1 %c, label %body, label %done
body:
  %p = getelementptr inbounds [4 x i64], ptr addrspace(256) %a, i64 %i, i64 1
  store i64 %v, ptr addrspace(256) %p, align 8
  %i1 = add nsw i64 %i, 1
  br label %head
done:
  ret void
}

; REPORT:     ranged 2 (into 2 range barriers, 0 of them strided, 2 for writes;
; REPORT-OFF: ranged 0 (into 0 range barriers, 0 of them strided, 0 for writes;
