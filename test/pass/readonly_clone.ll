; Read-only clones: a function that reads the STM heap and is called directly gets a clone
; (internal, "<name>.stmc.ro") with no read barriers and no safe points, whose direct calls to
; cloned functions go to their clones; writes keep their barrier (in an unmarked transaction
; the first one upgrades it).  Other functions' direct calls test RV == 1 (an unmarked
; transaction runs) and call the clone then, the function otherwise.  Switch
; -stmc-readonly-clones; counters in the report.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s --check-prefix=ON
; RUN: %opt_stm -passes=stmc-instrument -stmc-readonly-clones=false -S < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -stmc-report -disable-output < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; REPORT: read-only clones 1 (reads without a barrier 2, call sites dispatching to them 1)

%node = type { i64, ptr addrspace(256) }

define i64 @sum(ptr addrspace(256) %n) {
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
  store i64 %s1, ptr addrspace(256) %p, align 8
  br label %loop
exit:
  ret i64 %s
}

define i64 @caller(ptr addrspace(256) %n) {
  %r = call i64 @sum(ptr addrspace(256) %n)
  ret i64 %r
}

; The original keeps its barriers (the read of the stored field upgraded to the store's write
; barrier, as usual) and its loop's safe point.
; ON-LABEL: define i64 @sum(
; ON:         call void @_stm_write_slow(
; ON:         call void @_stm_read_slow(
; ON:         load volatile i8, ptr addrspace(256) inttoptr (i64 4098 to ptr addrspace(256))
; ON-LABEL: define i64 @caller(
; ON:         [[RV:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4096 to ptr addrspace(256))
; ON-NEXT:    [[U:%.*]] = icmp eq i8 [[RV]], 1
; ON-NEXT:    br i1 [[U]],
; ON:         [[A:%.*]] = call i64 @sum.stmc.ro(ptr addrspace(256) %n)
; ON:         [[B:%.*]] = call i64 @sum(ptr addrspace(256) %n)
; ON:         phi i64 [ [[A]], {{.*}} ], [ [[B]], {{.*}} ]
; The clone: no read barrier, no safe point, the write barrier kept.
; ON-LABEL: define internal i64 @sum.stmc.ro(
; ON-NOT:     @_stm_read_slow
; ON-NOT:     i64 4098
; ON:         call void @_stm_write_slow(
; ON-NOT:     @_stm_read_slow
; ON-NOT:     i64 4098
; ON:         }
; ON:         attributes #{{[0-9]+}} = { "stmc-readonly-clone" }
; OFF-NOT:    stmc.ro
