; A loop that calls nothing and touches no STM heap, atomic or volatile memory cannot wait for
; another thread: it gets no safe point (so it stays vectorisable), with a remark and a count
; in the report.  -stmc-elide-quiet-loop-safepoints=0 puts the safe point back.  A loop with a
; heap access or a call keeps its safe point either way.
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm < %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.remarks
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-elide-quiet-loop-safepoints=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; REMARK: remark: {{.*}}no safe point: the loop calls nothing and touches no STM heap, atomic or volatile memory
; REPORT: safe points 2 (2 left out of loops that cannot wait, 0 of loops inside atomic blocks, 1 loops copied without one for short runs)

; CHECK-LABEL: define i64 @sum_range(
; CHECK-NOT: _stm_safepoint_slow
; CHECK: ret i64
; OFF-LABEL: define i64 @sum_range(
; OFF: call void @_stm_safepoint_slow(
define i64 @sum_range(i64 %lo, i64 %hi) {
entry:
  br label %loop
loop:
  %i = phi i64 [ %lo, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %t = mul i64 %i, -7046029254386353131
  %s1 = add i64 %s, %t
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %hi
  br i1 %c, label %loop, label %done
done:
  ret i64 %s1
}

; CHECK-LABEL: define i64 @heap_loop(
; CHECK: call void @_stm_safepoint_slow(
; OFF-LABEL: define i64 @heap_loop(
; OFF: call void @_stm_safepoint_slow(
define i64 @heap_loop(ptr addrspace(256) %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %q = getelementptr i64, ptr addrspace(256) %p, i64 %i
  %v = load i64, ptr addrspace(256) %q, align 8
  %s1 = add i64 %s, %v
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %done
done:
  ret i64 %s1
}

; A call to a helper of this module that is itself quiet (not inlined yet at PipelineStart)
; keeps the loop quiet; a helper that touches the heap does not.
; CHECK-LABEL: define i64 @calls_quiet_helper(
; CHECK-NOT: _stm_safepoint_slow
; CHECK: ret i64
; OFF-LABEL: define i64 @calls_quiet_helper(
; OFF: call void @_stm_safepoint_slow(
define internal i64 @term(i64 %i) {
  %t = mul i64 %i, -7046029254386353131
  %r = lshr i64 %t, 40
  ret i64 %r
}
define i64 @calls_quiet_helper(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %t = call i64 @term(i64 %i)
  %s1 = add i64 %s, %t
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %done
done:
  ret i64 %s1
}

; CHECK-LABEL: define i64 @calls_heap_helper(
; CHECK: call void @_stm_safepoint_slow(
define internal i64 @peek(ptr addrspace(256) %p) {
  %v = load i64, ptr addrspace(256) %p, align 8
  ret i64 %v
}
define i64 @calls_heap_helper(ptr addrspace(256) %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s1, %loop ]
  %t = call i64 @peek(ptr addrspace(256) %p)
  %s1 = add i64 %s, %t
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %done
done:
  ret i64 %s1
}
