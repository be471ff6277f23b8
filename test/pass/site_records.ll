; Every slow-path call gets a private constant {file, line, col} from the DebugLoc; records are
; shared per position.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

; CHECK-DAG: @.stmc.file = private unnamed_addr constant [6 x i8] c"pos.c\00", align 1
; CHECK-DAG: @.stmc.site = private unnamed_addr constant { ptr, i32, i32 } { ptr @.stmc.file, i32 12, i32 5 }, align 8
; CHECK-DAG: @.stmc.site.1 = private unnamed_addr constant { ptr, i32, i32 } { ptr @.stmc.file, i32 13, i32 7 }, align 8

define void @f(ptr addrspace(256) %p, ptr addrspace(256) %q) !dbg !5 {
; CHECK-LABEL: define void @f(
; CHECK: call void @_stm_read_slow(i64 %{{.*}}, i64 4, ptr @.stmc.site)
; CHECK: call void @_stm_write_slow(i64 %{{.*}}, i64 4, ptr @.stmc.site.1)
  %v = load i32, ptr addrspace(256) %p, align 4, !dbg !8
  store i32 %v, ptr addrspace(256) %q, align 4, !dbg !9
  ret void
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "pos.c", directory: "/tmp")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 11, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 12, column: 5, scope: !5)
!9 = !DILocation(line: 13, column: 7, scope: !5)
