; The late pass (OptimizerLast) turns the simple heap loads of a loop that calls nothing and
; stores nothing to the heap into plain loads of the segment's flat base + offset (the base
; loaded once, at the end of the block that enters the loop): a %gs load reaches its user
; later, which a pointer chase pays at every step.  Left with %gs: loops with a call (it may
; switch segments) or a heap store (a masked one too), a load whose address needs a variable
; index (%gs adds the base for free there), volatile loads, a loop entered from an invoke.
; Only in modules stmc instrumented.  Switch -stmc-flat-loops; counted by -stmc-report.
; RUN: %opt_stm -passes=stmc-lower-late -S < %s | FileCheck %s
; RUN: %opt_stm -passes=stmc-lower-late -stmc-flat-loops=false -S < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-lower-late -stmc-report -disable-output < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; RUN: sed -e '/stmc.instrumented/d' -e 's/^!llvm.module.flags.*//' %s | %opt_stm -passes=stmc-lower-late -S | FileCheck %s --check-prefix=OFF
; REPORT: heap loads through the segment base in call-free loops 2 (in 1 loops)
; OFF-NOT: stmc.segbase

%node = type { i64, ptr addrspace(256) }

; A list walk: the key and the next pointer load through the base.
; CHECK-LABEL: define i64 @chase(
; CHECK:       entry:
; CHECK:         [[B:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4104 to ptr addrspace(256))
; CHECK-NEXT:    [[BP:%.*]] = inttoptr i64 [[B]] to ptr
; CHECK-NEXT:    br label %loop
; CHECK:       body:
; CHECK:         [[O1:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NEXT:    [[F1:%.*]] = getelementptr i8, ptr [[BP]], i64 [[O1]]
; CHECK-NEXT:    %k = load i64, ptr [[F1]], align 8
; CHECK:         [[F2:%.*]] = getelementptr i8, ptr [[BP]], i64 {{%.*}}
; CHECK-NEXT:    %next = load ptr addrspace(256), ptr [[F2]], align 8
define i64 @chase(ptr addrspace(256) %n) {
entry:
  br label %loop
loop:
  %p = phi ptr addrspace(256) [ %n, %entry ], [ %next, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %done = icmp eq ptr addrspace(256) %p, null
  br i1 %done, label %exit, label %body
body:
  %k = load i64, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %k
  %np = getelementptr inbounds %node, ptr addrspace(256) %p, i32 0, i32 1
  %next = load ptr addrspace(256), ptr addrspace(256) %np, align 8
  br label %loop
exit:
  ret i64 %s
}

declare void @g()

; CHECK-LABEL: define i64 @with_call(
; CHECK-NOT:     stmc.segbase
; CHECK:         %k = load i64, ptr addrspace(256) %p
; CHECK:         ret i64
define i64 @with_call(ptr addrspace(256) %n) {
entry:
  br label %loop
loop:
  %p = phi ptr addrspace(256) [ %n, %entry ], [ %next, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %done = icmp eq ptr addrspace(256) %p, null
  br i1 %done, label %exit, label %body
body:
  %k = load i64, ptr addrspace(256) %p, align 8
  call void @g()
  %s1 = add i64 %s, %k
  %np = getelementptr inbounds %node, ptr addrspace(256) %p, i32 0, i32 1
  %next = load ptr addrspace(256), ptr addrspace(256) %np, align 8
  br label %loop
exit:
  ret i64 %s
}

; CHECK-LABEL: define i64 @with_store(
; CHECK-NOT:     stmc.segbase
; CHECK:         %k = load i64, ptr addrspace(256) %p
; CHECK:         ret i64
define i64 @with_store(ptr addrspace(256) %n) {
entry:
  br label %loop
loop:
  %p = phi ptr addrspace(256) [ %n, %entry ], [ %next, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %done = icmp eq ptr addrspace(256) %p, null
  br i1 %done, label %exit, label %body
body:
  %k = load i64, ptr addrspace(256) %p, align 8
  store i64 0, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %k
  %np = getelementptr inbounds %node, ptr addrspace(256) %p, i32 0, i32 1
  %next = load ptr addrspace(256), ptr addrspace(256) %np, align 8
  br label %loop
exit:
  ret i64 %s
}

; An array walk (a variable index) and a volatile load: both keep %gs.
; CHECK-LABEL: define i64 @indexed(
; CHECK-NOT:     stmc.segbase
; CHECK:         %v = load i64, ptr addrspace(256) %a
; CHECK:         %w = load volatile i64, ptr addrspace(256) %base
; CHECK:         ret i64
define i64 @indexed(ptr addrspace(256) %base, i64 %len) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s2, %loop ]
  %a = getelementptr inbounds i64, ptr addrspace(256) %base, i64 %i
  %v = load i64, ptr addrspace(256) %a, align 8
  %w = load volatile i64, ptr addrspace(256) %base, align 8
  %s1 = add i64 %s, %v
  %s2 = add i64 %s1, %w
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %len
  br i1 %c, label %loop, label %exit
exit:
  ret i64 %s2
}

; A heap store by an intrinsic (a masked store) counts as a heap store.
; CHECK-LABEL: define i64 @masked_store(
; CHECK-NOT:     stmc.segbase
; CHECK:         %k = load i64, ptr addrspace(256) %p
; CHECK:         ret i64
define i64 @masked_store(ptr addrspace(256) %n, ptr addrspace(256) %v) {
entry:
  br label %loop
loop:
  %p = phi ptr addrspace(256) [ %n, %entry ], [ %next, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %done = icmp eq ptr addrspace(256) %p, null
  br i1 %done, label %exit, label %body
body:
  %k = load i64, ptr addrspace(256) %p, align 8
  call void @llvm.masked.store.v2i64.p256(<2 x i64> zeroinitializer, ptr addrspace(256) %v, i32 8, <2 x i1> <i1 true, i1 false>)
  %s1 = add i64 %s, %k
  %np = getelementptr inbounds %node, ptr addrspace(256) %p, i32 0, i32 1
  %next = load ptr addrspace(256), ptr addrspace(256) %np, align 8
  br label %loop
exit:
  ret i64 %s
}

declare void @llvm.masked.store.v2i64.p256(<2 x i64>, ptr addrspace(256), i32, <2 x i1>)

; A loop entered from an invoke: the base would load before the call.
; CHECK-LABEL: define i64 @after_invoke(
; CHECK-NOT:     stmc.segbase
; CHECK:         %k = load i64, ptr addrspace(256) %p
; CHECK:         ret i64
define i64 @after_invoke(ptr addrspace(256) %n) personality ptr @pers {
entry:
  invoke void @g() to label %loop unwind label %lp
loop:
  %p = phi ptr addrspace(256) [ %n, %entry ], [ %next, %body ]
  %s = phi i64 [ 0, %entry ], [ %s1, %body ]
  %done = icmp eq ptr addrspace(256) %p, null
  br i1 %done, label %exit, label %body
body:
  %k = load i64, ptr addrspace(256) %p, align 8
  %s1 = add i64 %s, %k
  %np = getelementptr inbounds %node, ptr addrspace(256) %p, i32 0, i32 1
  %next = load ptr addrspace(256), ptr addrspace(256) %np, align 8
  br label %loop
exit:
  ret i64 %s
lp:
  %x = landingpad { ptr, i32 } cleanup
  ret i64 0
}

declare i32 @pers(...)

!llvm.module.flags = !{!0}
!0 = !{i32 7, !"stmc.instrumented", i32 1}
