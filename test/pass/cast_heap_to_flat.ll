; addrspacecast 256 -> 0 becomes base + offset (null stays null) and is diagnosed: accesses
; through the plain pointer are not tracked.
; RUN: %opt_stm -passes=stmc-instrument -S < %s 2>%t.err | FileCheck %s
; RUN: FileCheck --check-prefix=DIAG %s < %t.err

define ptr @flat(ptr addrspace(256) %p) !dbg !5 {
; CHECK-LABEL: define ptr @flat(
; CHECK:      [[B:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4104 to ptr addrspace(256)), align 8, {{.*}}!stmc.internal
; CHECK-NEXT: [[O:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NEXT: [[S:%.*]] = add i64 [[B]], [[O]]
; CHECK-NEXT: [[F:%.*]] = inttoptr i64 [[S]] to ptr
; CHECK-NEXT: [[Z:%.*]] = icmp eq i64 [[O]], 0
; CHECK-NEXT: %stmc.flat = select i1 [[Z]], ptr null, ptr [[F]]
; CHECK-NEXT: ret ptr %stmc.flat
; CHECK-NOT:  addrspacecast
  %f = addrspacecast ptr addrspace(256) %p to ptr, !dbg !8
  ret ptr %f
}
; DIAG: warning: cast.c:7:12: stmc: STM heap pointer cast to a plain pointer: accesses through it are not tracked by the transaction (hint:

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "cast.c", directory: "/tmp")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "flat", scope: !1, file: !1, line: 6, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 7, column: 12, scope: !5)
