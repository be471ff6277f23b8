; A local struct with volatile members beside plain ones (here { i64 sum; volatile i32 tries;
; i32 n; volatile i64 t[4]; i64 last }): at an atomic block's retry its plain bytes are
; restored, and the bytes that its volatile loads and stores reach keep what the aborted
; attempt left: the counter at offset 8 (4 bytes), and the array member indexed by a variable
; (offsets 16-47: the whole array).  Three copies back: [0,8), [12,16), [48,56).
; -stmc-restore-volatile-members=0: one copy of the whole struct (the contract before).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -stmc-restore-volatile-members=0 -S < %s | FileCheck %s --check-prefix=OFF

%struct.st = type { i64, i32, i32, [4 x i64], i64 }

declare i32 @_stm_setjmp(ptr) returns_twice
declare i32 @_stm_atomic_pre(ptr)
declare void @_stm_atomic_cleanup(ptr)

define i64 @f(ptr addrspace(256) %g, i64 %k) {
; CHECK-LABEL: define i64 @f(
; CHECK:      call void @llvm.memcpy.p0.p0.i64(ptr align 8 %stmc.saved, ptr align 8 %s, i64 56, i1 false)
; CHECK-NEXT: %r = call i32 @_stm_setjmp(
; CHECK:      call void @llvm.memcpy.p0.p0.i64(ptr align 8 %s, ptr align 8 %stmc.saved, i64 8, i1 true)
; CHECK-NEXT: [[A:%.*]] = getelementptr inbounds i8, ptr %s, i64 12
; CHECK-NEXT: [[B:%.*]] = getelementptr inbounds i8, ptr %stmc.saved, i64 12
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr align 4 [[A]], ptr align 4 [[B]], i64 4, i1 true)
; CHECK-NEXT: [[C:%.*]] = getelementptr inbounds i8, ptr %s, i64 48
; CHECK-NEXT: [[D:%.*]] = getelementptr inbounds i8, ptr %stmc.saved, i64 48
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr align 8 [[C]], ptr align 8 [[D]], i64 8, i1 true)
; CHECK-NOT:  llvm.memcpy
; CHECK:      ret i64
; OFF-LABEL:  define i64 @f(
; OFF:        %r = call i32 @_stm_setjmp(
; OFF:        call void @llvm.memcpy.p0.p0.i64(ptr align 8 %s, ptr align 8 %stmc.saved, i64 56, i1 true)
; OFF-NOT:    llvm.memcpy
; OFF:        ret i64
entry:
  %frame = alloca [128 x i8], align 8
  %s = alloca %struct.st, align 8
  call void @llvm.memset.p0.i64(ptr align 8 %s, i8 0, i64 56, i1 false)
  %go = call i32 @_stm_atomic_pre(ptr %frame)
  %t = icmp ne i32 %go, 0
  br i1 %t, label %body, label %end

body:
  %r = call i32 @_stm_setjmp(ptr %frame) returns_twice
  %tries = getelementptr inbounds %struct.st, ptr %s, i32 0, i32 1
  %n = load volatile i32, ptr %tries
  %n1 = add i32 %n, 1
  store volatile i32 %n1, ptr %tries
  %arr = getelementptr inbounds %struct.st, ptr %s, i32 0, i32 3
  %el = getelementptr inbounds [4 x i64], ptr %arr, i64 0, i64 %k
  %e = load volatile i64, ptr %el
  %e1 = add i64 %e, 1
  store volatile i64 %e1, ptr %el
  %x = load i64, ptr addrspace(256) %g, align 8
  %sum = load i64, ptr %s
  %sum1 = add i64 %sum, %x
  store i64 %sum1, ptr %s
  %cnt = getelementptr inbounds %struct.st, ptr %s, i32 0, i32 2
  %c = load i32, ptr %cnt
  %c1 = add i32 %c, 1
  store i32 %c1, ptr %cnt
  %last = getelementptr inbounds %struct.st, ptr %s, i32 0, i32 4
  store i64 %x, ptr %last
  br label %end

end:
  call void @_stm_atomic_cleanup(ptr %frame)
  %v = load i64, ptr %s
  ret i64 %v
}

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
