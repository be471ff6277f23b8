; A function whose call may end the transaction (a loop, hence a safe point; or only declared
; here: stmc may compile it elsewhere, loops and all) loses its memory attribute, at its
; definition or declaration and at its calls: the end writes the segment header, and GVN
; reused a header load made before such a `pure` call after it (test
; e2e/pure_call_memory_promise.c), also where it is called through an alias.  A loop-free
; function and the C library's keep theirs, also a definition of the C library's that the
; linker may replace (glibc's inline atoi, available_externally, whose promise let two calls
; be one).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; CHECK-DAG: declare double @sqrt(double) [[NONE:#[0-9]+]]
; CHECK-DAG: declare i64 @elsewhere(i64){{$}}
; CHECK-DAG: define i64 @walk(ptr addrspace(256) %l) {
; CHECK-DAG: define i64 @loopfree(i64 %x) [[READ:#[0-9]+]] {
; CHECK-DAG: define available_externally i32 @atoi(ptr %s) [[READ]] {
; CHECK-LABEL: define i64 @caller(
; CHECK: %k = call i64 @walk(ptr addrspace(256) %l){{$}}
; CHECK: %e = call i64 @elsewhere(i64 %a){{$}}
; CHECK: %f = call i64 @loopfree(i64 %e) [[READ]]
; CHECK: %s = call double @sqrt(double %d) [[NONE]]
; CHECK: %w2 = call i64 @walk_alias(ptr addrspace(256) %l){{$}}
; CHECK: %n = call i32 @atoi(ptr %str) [[READ]]
; CHECK-DAG: attributes [[NONE]] = { memory(none) }
; CHECK-DAG: attributes [[READ]] = { memory(read) }

declare double @sqrt(double) memory(none)
declare i64 @elsewhere(i64) memory(read)

define i64 @walk(ptr addrspace(256) %l) memory(read) {
entry:
  br label %loop
loop:
  %p = phi ptr addrspace(256) [ %l, %entry ], [ %next, %loop ]
  %k = phi i64 [ 0, %entry ], [ %k1, %loop ]
  %v = load i64, ptr addrspace(256) %p, align 8
  %k1 = add i64 %k, %v
  %np = getelementptr i8, ptr addrspace(256) %p, i64 8
  %next = load ptr addrspace(256), ptr addrspace(256) %np, align 8
  %c = icmp eq ptr addrspace(256) %next, null
  br i1 %c, label %done, label %loop
done:
  ret i64 %k1
}

@walk_alias = alias i64 (ptr addrspace(256)), ptr @walk

define available_externally i32 @atoi(ptr %s) memory(read) {
entry:
  br label %loop
loop:
  %p = phi ptr [ %s, %entry ], [ %q, %loop ]
  %c = load i8, ptr %p, align 1
  %q = getelementptr i8, ptr %p, i64 1
  %z = icmp eq i8 %c, 0
  br i1 %z, label %done, label %loop
done:
  ret i32 0
}

define i64 @loopfree(i64 %x) memory(read) {
  %y = mul i64 %x, 3
  ret i64 %y
}

define i64 @caller(ptr addrspace(256) %p, ptr addrspace(256) %l, double %d, ptr %str) {
  %a = load i64, ptr addrspace(256) %p, align 8
  %k = call i64 @walk(ptr addrspace(256) %l) memory(read)
  %e = call i64 @elsewhere(i64 %a) memory(read)
  %f = call i64 @loopfree(i64 %e) memory(read)
  %s = call double @sqrt(double %d) memory(none)
  %w2 = call i64 @walk_alias(ptr addrspace(256) %l) memory(read)
  %n = call i32 @atoi(ptr %str) memory(read)
  %zp = getelementptr i8, ptr addrspace(256) %p, i64 16
  %z = load i64, ptr addrspace(256) %zp, align 8
  %r1 = add i64 %a, %k
  %r2 = add i64 %r1, %f
  %r3 = add i64 %r2, %z
  ret i64 %r3
}
