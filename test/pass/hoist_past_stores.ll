; (d) A loop in an atomic block that stores to the heap: a load at a loop-invariant address
; that no store of the loop may change (alias analysis: clang's TBAA here, a pointer loaded
; against stores of doubles) moves before the loop like one of a loop that stores nothing,
; here behind the test that the body runs (the load is in the body); `acc[k][j] += pts[i][j]`
; then gets a read range and a write range.  The address computation, in the loop, moves
; first.  A store of a pointer (which may be acc[k] itself) keeps the loads in the loop, and so
; does the same loop without TBAA (-fno-strict-aliasing).
; -stmc-hoist-past-stores=0: the loads stay in the loop.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-hoist-past-stores=0 < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-hoist-past-stores=0 < %s 2>&1 | FileCheck %s --check-prefix=REPORT-OFF

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)

; STM_ATOMIC { for (j = 0; j < d; j++) acc[k][j] += pts[i][j]; }
define void @rows(ptr addrspace(256) %acc, ptr addrspace(256) %pts, i64 %i, i64 %k, i64 %d) {
; CHECK-LABEL: define void @rows(
; CHECK:      %stmc.body.runs = icmp ne i64
; CHECK:      %ra = load ptr addrspace(256), ptr addrspace(256) %pa
; CHECK:      %ra.stmc.guarded = phi
; CHECK:      %rp = load ptr addrspace(256), ptr addrspace(256) %pp
; CHECK:      %rp.stmc.guarded = phi
; CHECK:      call void @_stm_read_slow(i64 %stmc.range.first
; CHECK:      call void @_stm_write_slow(i64 %stmc.range.first
; CHECK:      body:
; CHECK-NOT:  load ptr addrspace(256)
; CHECK-NOT:  call void @_stm_
; CHECK:      end:
; OFF-LABEL:  define void @rows(
; OFF-NOT:    stmc.body.runs
; OFF:        body:
; OFF:        %ra = load ptr addrspace(256), ptr addrspace(256) %pa
entry:
  %frame = alloca [128 x i8], align 8
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %r = call i32 @_stm_setjmp(ptr %frame) returns_twice
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %c = icmp slt i64 %j, %d
  br i1 %c, label %body, label %end

body:
  %pa = getelementptr inbounds ptr addrspace(256), ptr addrspace(256) %acc, i64 %k
  %ra = load ptr addrspace(256), ptr addrspace(256) %pa, align 8, !tbaa !2
  %pp = getelementptr inbounds ptr addrspace(256), ptr addrspace(256) %pts, i64 %i
  %rp = load ptr addrspace(256), ptr addrspace(256) %pp, align 8, !tbaa !2
  %xp = getelementptr inbounds double, ptr addrspace(256) %rp, i64 %j
  %x = load double, ptr addrspace(256) %xp, align 8, !tbaa !6
  %ap = getelementptr inbounds double, ptr addrspace(256) %ra, i64 %j
  %a = load double, ptr addrspace(256) %ap, align 8, !tbaa !6
  %s = fadd double %a, %x
  store double %s, ptr addrspace(256) %ap, align 8, !tbaa !6
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  ret void
}

; ... and other[j] = acc[k] in the loop: a pointer store, which may change acc[k]
define void @ptrstore(ptr addrspace(256) %acc, ptr addrspace(256) %other, i64 %k, i64 %d) {
; CHECK-LABEL: define void @ptrstore(
; CHECK-NOT:  stmc.body.runs
; CHECK:      body:
; CHECK:      %ra = load ptr addrspace(256), ptr addrspace(256) %pa
entry:
  %frame = alloca [128 x i8], align 8
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %r = call i32 @_stm_setjmp(ptr %frame) returns_twice
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %c = icmp slt i64 %j, %d
  br i1 %c, label %body, label %end

body:
  %pa = getelementptr inbounds ptr addrspace(256), ptr addrspace(256) %acc, i64 %k
  %ra = load ptr addrspace(256), ptr addrspace(256) %pa, align 8, !tbaa !2
  %ap = getelementptr inbounds double, ptr addrspace(256) %ra, i64 %j
  store double 1.0, ptr addrspace(256) %ap, align 8, !tbaa !6
  %op = getelementptr inbounds ptr addrspace(256), ptr addrspace(256) %other, i64 %j
  store ptr addrspace(256) %ra, ptr addrspace(256) %op, align 8, !tbaa !2
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  ret void
}

; @rows without TBAA (-fno-strict-aliasing): nothing moves
define void @notbaa(ptr addrspace(256) %acc, ptr addrspace(256) %pts, i64 %i, i64 %k, i64 %d) {
; CHECK-LABEL: define void @notbaa(
; CHECK-NOT:  stmc.body.runs
; CHECK:      body:
; CHECK:      %ra = load ptr addrspace(256), ptr addrspace(256) %pa
entry:
  %frame = alloca [128 x i8], align 8
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %r = call i32 @_stm_setjmp(ptr %frame) returns_twice
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %c = icmp slt i64 %j, %d
  br i1 %c, label %body, label %end

body:
  %pa = getelementptr inbounds ptr addrspace(256), ptr addrspace(256) %acc, i64 %k
  %ra = load ptr addrspace(256), ptr addrspace(256) %pa, align 8
  %pp = getelementptr inbounds ptr addrspace(256), ptr addrspace(256) %pts, i64 %i
  %rp = load ptr addrspace(256), ptr addrspace(256) %pp, align 8
  %xp = getelementptr inbounds double, ptr addrspace(256) %rp, i64 %j
  %x = load double, ptr addrspace(256) %xp, align 8
  %ap = getelementptr inbounds double, ptr addrspace(256) %ra, i64 %j
  %a = load double, ptr addrspace(256) %ap, align 8
  %s = fadd double %a, %x
  store double %s, ptr addrspace(256) %ap, align 8
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  ret void
}

; REPORT:     heap loads moved out of loops in blocks 2, past the loop's stores 2; plain loads moved out of loops 0)
; REPORT-OFF: heap loads moved out of loops in blocks 0, past the loop's stores 0; plain loads moved out of loops 0)

!2 = !{!3, !3, i64 0}
!3 = !{!"any pointer", !4, i64 0}
!4 = !{!"omnipotent char", !5, i64 0}
!5 = !{!"Simple C/C++ TBAA"}
!6 = !{!7, !7, i64 0}
!7 = !{!"double", !4, i64 0}
