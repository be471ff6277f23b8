; stm_immutable fields: clang emits llvm.ptr.annotation(..., "stm_immutable") on each access.
; Loads through it get no read barrier; stores keep their write barrier; the annotation calls
; are consumed.  -stmc-elide-immutable=0 keeps the read barrier.
; RUN: %opt_stm -passes=stmc-instrument -S -pass-remarks=stm < %s 2>%t.rem | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.rem
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-elide-immutable=0 < %s | FileCheck --check-prefix=OFF %s
; RUN: %opt_stm -passes=stmc-instrument -disable-output -stmc-report < %s 2>&1 | FileCheck --check-prefix=REPORT %s

@.str = private unnamed_addr constant [14 x i8] c"stm_immutable\00", section "llvm.metadata"
@.file = private unnamed_addr constant [4 x i8] c"t.c\00", section "llvm.metadata"

%struct.o = type { i64, i64 }

define i64 @get(ptr addrspace(256) %o) {
; CHECK-LABEL: define i64 @get(
; CHECK-NOT: llvm.ptr.annotation
; CHECK-NOT: call void @_stm_read_slow(
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
; CHECK:     call void @_stm_write_slow(
; CHECK:     store i64 %v, ptr addrspace(256) %f0
  %f0 = getelementptr inbounds %struct.o, ptr addrspace(256) %o, i32 0, i32 1
  %f = call ptr addrspace(256) @llvm.ptr.annotation.p256.p0(ptr addrspace(256) %f0, ptr @.str, ptr @.file, i32 3, ptr null)
  store i64 %v, ptr addrspace(256) %f, align 8
  ret void
}

declare ptr addrspace(256) @llvm.ptr.annotation.p256.p0(ptr addrspace(256), ptr, ptr, i32, ptr)
; REMARK: remark: <unknown>:0:0: read barrier elided: stm_immutable field
; REPORT: immutable 1,
