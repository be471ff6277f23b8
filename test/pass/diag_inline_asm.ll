; Inline asm with an STM heap pointer operand: a warning with file:line and a hint.
; RUN: %opt_stm -passes=stmc-instrument -disable-output < %s 2>&1 | FileCheck %s

define void @f(ptr addrspace(256) %p) !dbg !5 {
  call void asm sideeffect "incq ($0)", "r,~{memory}"(ptr addrspace(256) %p), !dbg !8
  ret void
}
; CHECK: warning: asm.c:9:3: stmc: inline asm operand is an STM heap pointer: the asm's memory accesses get no barrier and %gs is not applied (hint:

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: LineTablesOnly)
!1 = !DIFile(filename: "asm.c", directory: "/tmp")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 8, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 9, column: 3, scope: !5)
