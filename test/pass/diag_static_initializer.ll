; A static initializer holding an STM heap pointer is an error with the global's position and
; a hint; the initializer is nulled so the backend does not crash.  A null pointer cast to the
; heap's address space ((T STM_HEAP *)NULL) is null: no error.
; RUN: not %opt_stm -passes=stmc-instrument -S < %s 2>&1 | FileCheck %s

@ok_cast = global ptr addrspace(256) addrspacecast (ptr null to ptr addrspace(256)), align 8
@gp = global ptr addrspace(256) inttoptr (i64 1073745920 to ptr addrspace(256)), align 8, !dbg !10
@ok = global ptr addrspace(256) null, align 8

; CHECK-NOT: ok_cast
; CHECK: error: init.c:4: stmc: static initializer holds an STM heap pointer ('gp') (hint: heap pointers are offsets that exist only at run time: initialise it at run time

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: FullDebug, globals: !2)
!1 = !DIFile(filename: "init.c", directory: "/tmp")
!2 = !{!10}
!3 = !{i32 2, !"Debug Info Version", i32 3}
!10 = !DIGlobalVariableExpression(var: !11, expr: !DIExpression())
!11 = distinct !DIGlobalVariable(name: "gp", scope: !0, file: !1, line: 4, type: !12, isLocal: false, isDefinition: true)
!12 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
