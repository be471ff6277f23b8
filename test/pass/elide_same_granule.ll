; (a) A second barrier on the same granule, dominated by the first with no call in between,
; is elided; a call in between keeps it.  -stmc-elide-same-granule=0 turns it off.
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -S -stmc-elide-same-granule=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-early-cse=0 -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

%struct.s = type { i64, i64, i64 }

define i64 @f(ptr addrspace(256) %p) {
; CHECK-LABEL: define i64 @f(
; CHECK-COUNT-1: call void @_stm_read_slow(
; CHECK-NOT:     call void @_stm_read_slow(
; CHECK:         call void @g()
; CHECK:         call void @_stm_read_slow(
; CHECK-NOT:     call void @_stm_read_slow(
; CHECK:         ret i64
; OFF-LABEL: define i64 @f(
; OFF-COUNT-3: call void @_stm_read_slow(
  %a = load i64, ptr addrspace(256) %p, align 8
  %b = load i64, ptr addrspace(256) %p, align 8
  %s = add i64 %a, %b
  call void @g()
  %c = load i64, ptr addrspace(256) %p, align 8
  %t = add i64 %s, %c
  ret i64 %t
}

; Same base, offsets 0 and 8 of a 16-aligned object: the same granule.
define i64 @aligned(ptr addrspace(256) align 16 %p) {
; CHECK-LABEL: define i64 @aligned(
; CHECK-COUNT-1: call void @_stm_read_slow(
; CHECK-NOT:     call void @_stm_read_slow(
; CHECK:         ret i64
  %a = load i64, ptr addrspace(256) %p, align 8
  %q = getelementptr inbounds i8, ptr addrspace(256) %p, i64 8
  %b = load i64, ptr addrspace(256) %q, align 8
  %s = add i64 %a, %b
  ret i64 %s
}

; Unknown alignment: offset 8 may be in the next granule, so it keeps its barrier.
define i64 @unaligned(ptr addrspace(256) %p) {
; CHECK-LABEL: define i64 @unaligned(
; CHECK-COUNT-2: call void @_stm_read_slow(
  %a = load i64, ptr addrspace(256) %p, align 8
  %q = getelementptr inbounds %struct.s, ptr addrspace(256) %p, i64 0, i32 1
  %b = load i64, ptr addrspace(256) %q, align 8
  %s = add i64 %a, %b
  ret i64 %s
}

declare void @g()
; REMARK: remark: <unknown>:0:0: read barrier elided: same granule already barriered
; REPORT: elided: same-granule 2,
