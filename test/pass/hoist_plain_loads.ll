; In an innermost loop without calls, atomics or fences, in or outside atomic blocks, a load of
; plain memory at a loop-invariant address that no store of the loop may change moves before
; the loop (-stmc-hoist-plain-loads): in the header (a bound read from a global, `j < g_n`)
; straight to the preheader, so that the trip count is computable; in the body (the row
; pointer `g_rows[c]` of `s += g_rows[c][j]`, itself read through the global `g_rows`) behind
; `if (the body runs)`, in rounds, so a load whose address another moved load gives moves
; too.  The heap access then has an affine address and gets a range barrier in the preheader
; instead of a barrier at each step (outside blocks the safe point's slow path runs it again
; when it ended the implicit transaction).  A plain store or a memory-writing intrinsic that
; may change the load, a call, or a volatile load keeps it in the loop.
; -stmc-hoist-plain-loads=0: every load stays, and no range barrier.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-hoist-plain-loads=0 < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-hoist-plain-loads=0 < %s 2>&1 | FileCheck %s --check-prefix=REPORT-OFF

@g_rows = global ptr null, align 8
@g_n = global i64 0, align 8
@g_p = global ptr addrspace(256) null, align 8

; long s = 0; for (j = 0; j < d; j++) s += g_rows[c][j];   (outside atomic blocks)
define i64 @rows(i64 %c, i64 %d) {
; CHECK-LABEL: define i64 @rows(
; CHECK:      %stmc.body.runs = icmp ne i64 {{.*}}, 0
; CHECK:      %rows = load ptr, ptr @g_rows
; CHECK:      %rows.stmc.guarded = phi ptr [ %rows, %{{[0-9]+}} ], [ poison, %entry ]
; CHECK:      %row = load ptr addrspace(256), ptr %pr
; CHECK:      %row.stmc.guarded = phi ptr addrspace(256) [ %row, %{{[0-9]+}} ]
; CHECK:      %stmc.range.first = ptrtoint ptr addrspace(256) %row.stmc.guarded to i64
; CHECK:      call void @_stm_read_slow(i64 %stmc.range.first, i64 %stmc.range.len,
; CHECK:      body:
; CHECK-NOT:  load ptr
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      %stmc.yield = load volatile i8
; OFF-LABEL:  define i64 @rows(
; OFF-NOT:    stmc.range
; OFF:        body:
; OFF-NEXT:   %rows = load ptr, ptr @g_rows
; OFF:        %row = load ptr addrspace(256), ptr %pr
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %t = icmp slt i64 %j, %d
  br i1 %t, label %body, label %end

body:
  %rows = load ptr, ptr @g_rows, align 8
  %pr = getelementptr inbounds ptr addrspace(256), ptr %rows, i64 %c
  %row = load ptr addrspace(256), ptr %pr, align 8
  %pe = getelementptr inbounds i64, ptr addrspace(256) %row, i64 %j
  %v = load i64, ptr addrspace(256) %pe, align 8
  %s1 = add i64 %s, %v
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  ret i64 %s
}

; for (j = 0; j < g_n; j++) s += a[j];   the bound, read in the header, goes to the preheader
define i64 @bound(ptr addrspace(256) %a) {
; CHECK-LABEL: define i64 @bound(
; CHECK:      %n = load i64, ptr @g_n
; CHECK:      call void @_stm_read_slow(
; CHECK:      head:
; CHECK-NOT:  load i64, ptr @g_n
; CHECK:      body:
; CHECK-NOT:  call void @_stm_read_slow
; CHECK:      %stmc.yield = load volatile i8
; OFF-LABEL:  define i64 @bound(
; OFF:        head:
; OFF:        %n = load i64, ptr @g_n
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %n = load i64, ptr @g_n, align 8
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

; The loop stores a heap pointer through a plain pointer that may be g_p itself: g_p stays.
define i64 @aliased(ptr %q, ptr addrspace(256) %other, i64 %d) {
; CHECK-LABEL: define i64 @aliased(
; CHECK-NOT:  stmc.body.runs
; CHECK:      body:
; CHECK:      %p = load ptr addrspace(256), ptr @g_p
; CHECK:      store ptr addrspace(256) %other, ptr %q
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %t = icmp slt i64 %j, %d
  br i1 %t, label %body, label %end

body:
  %p = load ptr addrspace(256), ptr @g_p, align 8
  %pe = getelementptr inbounds i64, ptr addrspace(256) %p, i64 %j
  %v = load i64, ptr addrspace(256) %pe, align 8
  %s1 = add i64 %s, %v
  store ptr addrspace(256) %other, ptr %q, align 8
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  ret i64 %s
}

; A call in the loop (it may change g_p, or wait for a thread that does): g_p stays.
declare void @work()
define i64 @calls(i64 %d) {
; CHECK-LABEL: define i64 @calls(
; CHECK-NOT:  stmc.body.runs
; CHECK:      body:
; CHECK:      %p = load ptr addrspace(256), ptr @g_p
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %t = icmp slt i64 %j, %d
  br i1 %t, label %body, label %end

body:
  %p = load ptr addrspace(256), ptr @g_p, align 8
  %pe = getelementptr inbounds i64, ptr addrspace(256) %p, i64 %j
  %v = load i64, ptr addrspace(256) %pe, align 8
  call void @work()
  %s1 = add i64 %s, %v
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  ret i64 %s
}

; A volatile load stays.
define i64 @volatile_load(i64 %d) {
; CHECK-LABEL: define i64 @volatile_load(
; CHECK-NOT:  stmc.body.runs
; CHECK:      body:
; CHECK:      %p = load volatile ptr addrspace(256), ptr @g_p
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %t = icmp slt i64 %j, %d
  br i1 %t, label %body, label %end

body:
  %p = load volatile ptr addrspace(256), ptr @g_p, align 8
  %pe = getelementptr inbounds i64, ptr addrspace(256) %p, i64 %j
  %v = load i64, ptr addrspace(256) %pe, align 8
  %s1 = add i64 %s, %v
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  ret i64 %s
}

; An intrinsic that writes memory each step (a masked store, `__builtin_ia32_maskmovdqu` in C):
; the load of what it may write stays (a review: moved, it was read once, a miscompile); one
; of another global, which it cannot write, moves.
@g_buf = global [4 x i32] zeroinitializer, align 16
@g_other = global i64 0, align 8
declare void @llvm.masked.store.v4i32.p0(<4 x i32>, ptr, i32, <4 x i1>)
define i64 @masked_store(i64 %d) {
; CHECK-LABEL: define i64 @masked_store(
; CHECK:      %o = load i64, ptr @g_other
; CHECK:      body:
; CHECK:      call void @llvm.masked.store.v4i32.p0(
; CHECK-NEXT: %x = load i32, ptr @g_buf
entry:
  br label %head

head:
  %j = phi i64 [ 0, %entry ], [ %j1, %body ]
  %s = phi i64 [ 0, %entry ], [ %s2, %body ]
  %t = icmp slt i64 %j, %d
  br i1 %t, label %body, label %end

body:
  %tr = trunc i64 %j to i32
  %v = insertelement <4 x i32> zeroinitializer, i32 %tr, i32 0
  call void @llvm.masked.store.v4i32.p0(<4 x i32> %v, ptr @g_buf, i32 16, <4 x i1> <i1 true, i1 false, i1 false, i1 false>)
  %x = load i32, ptr @g_buf, align 16
  %o = load i64, ptr @g_other, align 8
  %xe = sext i32 %x to i64
  %s1 = add i64 %s, %xe
  %s2 = add i64 %s1, %o
  %j1 = add nuw nsw i64 %j, 1
  br label %head

end:
  ret i64 %s
}

; REPORT: ranged 2 (into 2 range barriers, {{.*}}; plain loads moved out of loops 4)
; REPORT-OFF: ranged 0 (into 0 range barriers, {{.*}}; plain loads moved out of loops 0)
