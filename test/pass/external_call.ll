; Calls to library functions (TargetLibraryInfo), to blocking functions it misses, and to
; STM_EXTERNAL functions are wrapped in _stm_external_enter/leave.  Pure math, string
; functions, STM_PURE functions, the runtime's own functions, intrinsics and other
; declarations (assumed compiled by stmc elsewhere) are not.  -stmc-wrap-external=0 turns it off.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-instrument -S -stmc-wrap-external=0 < %s | FileCheck --check-prefix=OFF %s

@.ext = private unnamed_addr constant [13 x i8] c"stm_external\00", section "llvm.metadata"
@.pure = private unnamed_addr constant [9 x i8] c"stm_pure\00", section "llvm.metadata"
@.file = private unnamed_addr constant [4 x i8] c"t.c\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @my_io, ptr @.ext, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @my_hash, ptr @.pure, ptr @.file, i32 2, ptr null }], section "llvm.metadata"

declare i32 @printf(ptr, ...)
declare i32 @usleep(i32)
declare i32 @pthread_mutex_lock(ptr)
declare ptr @pthread_self()
declare double @sqrt(double)
declare i64 @strlen(ptr)
declare void @my_io()
declare i64 @my_hash(i64)
declare void @elsewhere()
declare void @stm_become_inevitable(ptr)

define void @f(ptr %s, ptr %m) {
; CHECK-LABEL: define void @f(
; CHECK:      call void @_stm_external_enter(ptr [[S1:@.stmc.site[.0-9]*]])
; CHECK-NEXT: call i32 (ptr, ...) @printf(ptr %s)
; CHECK-NEXT: call void @_stm_external_leave(ptr [[S1]])
; CHECK:      call void @_stm_external_enter(
; CHECK-NEXT: call i32 @usleep(i32 10)
; CHECK-NEXT: call void @_stm_external_leave(
; CHECK:      call void @_stm_external_enter(
; CHECK-NEXT: call i32 @pthread_mutex_lock(ptr %m)
; CHECK-NEXT: call void @_stm_external_leave(
; CHECK:      call void @_stm_external_enter(
; CHECK-NEXT: call void @my_io()
; CHECK-NEXT: call void @_stm_external_leave(
; CHECK-NOT:  call void @_stm_external_enter(
; CHECK:      ret void
; OFF-NOT:    call void @_stm_external_enter(
  call i32 (ptr, ...) @printf(ptr %s)
  call i32 @usleep(i32 10)
  call i32 @pthread_mutex_lock(ptr %m)
  call void @my_io()
  call ptr @pthread_self()
  call double @sqrt(double 2.0)
  call i64 @strlen(ptr %s)
  call i64 @my_hash(i64 1)
  call void @elsewhere()
  call void @stm_become_inevitable(ptr %s)
  ret void
}
