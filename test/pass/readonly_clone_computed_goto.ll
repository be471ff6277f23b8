; A function whose blocks have their address taken (computed goto through a label table) gets
; no read-only clone: the clone's table would still point at the original's blocks (the clone
; came out as `unreachable`, and only folding of the dispatch kept programs right).  A plain
; read-only function beside it is cloned.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s
; CHECK-NOT: define {{.*}} @dispatch.stmc.ro(
; CHECK:     define {{.*}} @plain.stmc.ro(
; CHECK-NOT: define {{.*}} @dispatch.stmc.ro(

@table = internal constant [2 x ptr] [ptr blockaddress(@dispatch, %one), ptr blockaddress(@dispatch, %two)]

define internal i64 @dispatch(ptr addrspace(256) %p, i64 %k) {
entry:
  %slot = getelementptr [2 x ptr], ptr @table, i64 0, i64 %k
  %target = load ptr, ptr %slot
  indirectbr ptr %target, [label %one, label %two]
one:
  %a = load i64, ptr addrspace(256) %p
  ret i64 %a
two:
  %q = getelementptr i64, ptr addrspace(256) %p, i64 1
  %b = load i64, ptr addrspace(256) %q
  ret i64 %b
}

define internal i64 @plain(ptr addrspace(256) %p) {
  %a = load i64, ptr addrspace(256) %p
  ret i64 %a
}

define i64 @caller(ptr addrspace(256) %p, i64 %k) {
  %x = call i64 @dispatch(ptr addrspace(256) %p, i64 %k)
  %y = call i64 @plain(ptr addrspace(256) %p)
  %s = add i64 %x, %y
  ret i64 %s
}
