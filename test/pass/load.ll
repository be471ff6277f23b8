; A load through an STM heap pointer gets the inline read barrier: RV from the segment header;
; RV == 1 (an unmarked read-only transaction) does nothing and is tested first; RV == 0 calls
; the slow path; any other RV (a marking version) is stored into the granule's read marker
; (addr >> 4).
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define i64 @get(ptr addrspace(256) %p) {
; CHECK-LABEL: define i64 @get(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NEXT: [[RV:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4096 to ptr addrspace(256)), align 1, !alias.scope [[HDR:![0-9]+]], !noalias [[NOTHDR:![0-9]+]], !stmc.internal
; CHECK-NEXT: [[MK:%.*]] = icmp ne i8 [[RV]], 1
; CHECK-NEXT: br i1 [[MK]], label %[[MARKING:.*]], label %[[DONE:.*]]{{$}}
; CHECK:      [[MARKING]]:
; CHECK-NEXT: [[Z:%.*]] = icmp eq i8 [[RV]], 0
; CHECK-NEXT: br i1 [[Z]], label %[[SLOW:.*]], label %[[FAST:.*]], !prof
; CHECK:      [[SLOW]]:
; CHECK-NEXT: call void @_stm_read_slow(i64 [[A]], i64 8, ptr @.stmc.site)
; CHECK:      [[FAST]]:
; CHECK-NEXT: [[G:%.*]] = lshr i64 [[A]], 4
; CHECK-NEXT: [[M:%.*]] = inttoptr i64 [[G]] to ptr addrspace(256)
; CHECK-NEXT: store i8 [[RV]], ptr addrspace(256) [[M]], align 1, !alias.scope [[MARK:![0-9]+]], !noalias [[NOTMARK:![0-9]+]], !stmc.internal
; CHECK:      [[DONE]]:
; CHECK:      %v = load i64, ptr addrspace(256) %p, align 8, !noalias [[ALL:![0-9]+]]
; CHECK-NEXT: ret i64 %v
  %v = load i64, ptr addrspace(256) %p, align 8
  ret i64 %v
}
; CHECK: declare void @_stm_read_slow(i64, i64, ptr) [[COLD:#[0-9]+]]
; CHECK: attributes [[COLD]] = { cold nounwind }
; The header, the markers and the write set's bookkeeping (store.ll) are three scopes of one
; domain; each metadata access is !noalias with the other two, user accesses with all three.
; CHECK-DAG: [[HDR]] = !{[[HDRS:![0-9]+]]}
; CHECK-DAG: [[HDRS]] = distinct !{[[HDRS]], [[DOM:![0-9]+]], !"stmc.header"}
; CHECK-DAG: [[MARK]] = !{[[MARKS:![0-9]+]]}
; CHECK-DAG: [[MARKS]] = distinct !{[[MARKS]], [[DOM]], !"stmc.markers"}
; CHECK-DAG: [[WSS:![0-9]+]] = distinct !{[[WSS]], [[DOM]], !"stmc.wset"}
; CHECK-DAG: [[NOTHDR]] = !{[[MARKS]], [[WSS]]}
; CHECK-DAG: [[NOTMARK]] = !{[[HDRS]], [[WSS]]}
; CHECK-DAG: [[ALL]] = !{[[HDRS]], [[MARKS]], [[WSS]]}
