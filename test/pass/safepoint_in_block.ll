; A loop that lies wholly inside an atomic block of the same function (from the block's setjmp
; to its own _stm_atomic_cleanup) gets no safe point: one does nothing while an atomic block
; runs.  The same loop after the block's end keeps its safe point; -stmc-elide-block-safepoints=0
; keeps both.
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-elide-block-safepoints=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

%frame = type { [8 x i64], i32, i32 }

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare i32 @_stm_atomic_body(ptr)
declare void @_stm_atomic_cleanup(ptr)

define i64 @f(ptr addrspace(256) %list) {
; CHECK-LABEL: define i64 @f(
; CHECK:       call i32 @_stm_setjmp(
; CHECK:       inner:
; CHECK-NOT:   @_stm_safepoint_slow
; CHECK:       call void @_stm_atomic_cleanup(
; CHECK:       outer:
; CHECK:       call void @_stm_safepoint_slow(
; CHECK:       ret i64
; OFF-LABEL:   define i64 @f(
; OFF:         inner:
; OFF:         call void @_stm_safepoint_slow(
; OFF:         call void @_stm_atomic_cleanup(
; OFF:         outer:
; OFF:         call void @_stm_safepoint_slow(
entry:
  %fr = alloca %frame
  %st = getelementptr inbounds %frame, ptr %fr, i32 0, i32 1
  store volatile i32 0, ptr %st
  %p = call i32 @_stm_atomic_pre(ptr %fr)
  %jb = getelementptr inbounds %frame, ptr %fr, i32 0, i32 0
  %r = call i32 @_stm_setjmp(ptr %jb) returns_twice
  %s = load volatile i32, ptr %st
  %one = icmp eq i32 %s, 1
  br i1 %one, label %inner, label %retry

retry:
  %b = call i32 @_stm_atomic_body(ptr %fr)
  %bt = icmp ne i32 %b, 0
  br i1 %bt, label %inner, label %end

; while (n) n = n->next, inside the block
inner:
  %n = phi ptr addrspace(256) [ %list, %entry ], [ %list, %retry ], [ %nx, %inner ]
  %nx = load ptr addrspace(256), ptr addrspace(256) %n, align 8
  %more = icmp ne ptr addrspace(256) %nx, null
  br i1 %more, label %inner, label %end

end:
  call void @_stm_atomic_cleanup(ptr %fr)
  br label %outer

; the same walk after the block
outer:
  %m = phi ptr addrspace(256) [ %list, %end ], [ %mx, %outer ]
  %mx = load ptr addrspace(256), ptr addrspace(256) %m, align 8
  %again = icmp ne ptr addrspace(256) %mx, null
  br i1 %again, label %outer, label %done

done:
  ret i64 0
}

; REMARK: remark: <unknown>:0:0: no safe point: the loop is inside an atomic block
; REMARK-NOT: no safe point: the loop is inside
; REPORT: safe points 1 (0 left out of loops that cannot wait, 1 of loops inside atomic blocks, 0 loops copied without one for short runs)
