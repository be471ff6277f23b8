; stm_immutable fields: clang emits llvm.ptr.annotation(..., "stm_immutable") on each access.
; Loads through it get no read marker, only the no-transaction check (RV == 0: the read slow
; path, which takes a segment if the thread holds none and starts the implicit transaction;
; without it a read outside atomic blocks in a thread with no segment faulted); stores call _stm_write_immutable (no inline fast path,
; no elision, not even on a fresh object: the runtime checks them under STM_DEBUG=1); the
; annotation calls are consumed.  -stmc-elide-immutable=0 keeps the read barrier;
; -stmc-check-immutable-writes=0 gives the stores the normal write barrier (and elisions).
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm -pass-remarks-missed=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-elide-immutable=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-check-immutable-writes=0 < %s | FileCheck --check-prefix=NOCHECK %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report -stmc-check-immutable-writes=0 < %s 2>&1 | FileCheck --check-prefix=REPORT-NOCHECK %s

@.str = private unnamed_addr constant [14 x i8] c"stm_immutable\00", section "llvm.metadata"
@.file = private unnamed_addr constant [4 x i8] c"t.c\00", section "llvm.metadata"

%struct.o = type { i64, i64 }

define i64 @get(ptr addrspace(256) %o) {
; CHECK-LABEL: define i64 @get(
; CHECK-NOT: llvm.ptr.annotation
; CHECK:     %stmc.rv = load i8, ptr addrspace(256) inttoptr (i64 4096
; CHECK-NEXT: [[NOTX:%.*]] = icmp eq i8 %stmc.rv, 0
; CHECK-NEXT: br i1 [[NOTX]]
; CHECK:     call void @_stm_read_slow(
; CHECK-NOT: store i8
; CHECK:     %v = load i64, ptr addrspace(256) %f
; CHECK:     ret i64 %v
; OFF-LABEL: define i64 @get(
; OFF:       call void @_stm_read_slow(
  %f0 = getelementptr inbounds %struct.o, ptr addrspace(256) %o, i32 0, i32 1
  %f = call ptr addrspace(256) @llvm.ptr.annotation.p256.p0(ptr addrspace(256) %f0, ptr @.str, ptr @.file, i32 3, ptr null)
  %v = load i64, ptr addrspace(256) %f, align 8
  ret i64 %v
}

define void @set(ptr addrspace(256) %o, i64 %v) {
; CHECK-LABEL: define void @set(
; CHECK-NOT: llvm.ptr.annotation
; CHECK-NOT: @_stm_write_slow(
; CHECK:     %[[A:.*]] = ptrtoint ptr addrspace(256) %f0 to i64
; CHECK-NEXT: call void @_stm_write_immutable(i64 %[[A]], i64 8, ptr @.stmc.site
; CHECK-NEXT: store i64 %v, ptr addrspace(256) %f0
; CHECK-NOT: @_stm_write_slow(
; CHECK:     ret void
; NOCHECK-LABEL: define void @set(
; NOCHECK-NOT: @_stm_write_immutable(
; NOCHECK:     call void @_stm_write_slow(
  %f0 = getelementptr inbounds %struct.o, ptr addrspace(256) %o, i32 0, i32 1
  %f = call ptr addrspace(256) @llvm.ptr.annotation.p256.p0(ptr addrspace(256) %f0, ptr @.str, ptr @.file, i32 3, ptr null)
  store i64 %v, ptr addrspace(256) %f, align 8
  ret void
}

; A fresh object: the fresh-allocation elision would drop the barrier, but the immutable store
; keeps its runtime call (that is where the check happens); the mutable field's store is elided.
define i64 @init(i64 %v) {
; CHECK-LABEL: define i64 @init(
; CHECK:     call {{.*}} @stm_alloc(
; CHECK:     call void @_stm_write_immutable(i64 %{{.*}}, i64 8,
; CHECK-NEXT: store i64 %v, ptr addrspace(256) %f0
; CHECK-NOT: call void @_stm_write_slow(
; CHECK-NOT: call void @_stm_write_immutable(
; CHECK:     ret i64
; NOCHECK-LABEL: define i64 @init(
; NOCHECK-NOT: call void @_stm_write
; NOCHECK:     ret i64
  %o = call ptr addrspace(256) @stm_alloc(i64 16)
  %f0 = getelementptr inbounds %struct.o, ptr addrspace(256) %o, i32 0, i32 1
  %f = call ptr addrspace(256) @llvm.ptr.annotation.p256.p0(ptr addrspace(256) %f0, ptr @.str, ptr @.file, i32 3, ptr null)
  store i64 %v, ptr addrspace(256) %f, align 8
  store i64 1, ptr addrspace(256) %o, align 8
  %r = load i64, ptr addrspace(256) %o, align 8
  ret i64 %r
}

declare ptr addrspace(256) @stm_alloc(i64)

declare ptr addrspace(256) @llvm.ptr.annotation.p256.p0(ptr addrspace(256), ptr, ptr, i32, ptr)
; REMARK: remark: <unknown>:0:0: read barrier elided: stm_immutable field
; REMARK: remark: <unknown>:0:0: store to an stm_immutable field: _stm_write_immutable (checked under STM_DEBUG=1)
; REPORT: memory intrinsics 0 (+0 late), immutable-field stores checked 2
; REPORT: immutable 1,
; REPORT-NOCHECK: immutable-field stores checked 0
