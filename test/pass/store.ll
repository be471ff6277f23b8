; A store gets the write barrier: the granule's write marker (STMC_WMARK_OFF + (addr >> 4))
; compared with WV from the header.  When they differ and the store lies in one granule, the
; granule is recorded inline if the runtime allows it (WS_N < WS_LIM, the page below the
; largest heap and its private-page byte set: STMC_PRIV_OFF + page): its index at
; %gs:(WS_VOFF + 4 * WS_N), WS_N + 1, WV into both markers, WRITES_INLINE + 1; else
; _stm_write_slow.  The write set's bookkeeping has an alias scope of its own.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define void @set(ptr addrspace(256) %p, i32 %v) {
; CHECK-LABEL: define void @set(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK-NEXT: [[WV:%.*]] = load i8, ptr addrspace(256) inttoptr (i64 4097 to ptr addrspace(256)), align 1, !alias.scope [[HDR:![0-9]+]], !noalias [[NOTHDR:![0-9]+]], !stmc.internal
; CHECK-NEXT: [[G:%.*]] = lshr i64 [[A]], 4
; CHECK-NEXT: [[W:%.*]] = add i64 [[G]], 536805376
; CHECK-NEXT: [[M:%.*]] = inttoptr i64 [[W]] to ptr addrspace(256)
; CHECK-NEXT: [[WM:%.*]] = load i8, ptr addrspace(256) [[M]], align 1, {{.*}}!stmc.internal
; CHECK-NEXT: [[NE:%.*]] = icmp ne i8 [[WM]], [[WV]]
; CHECK-NEXT: br i1 [[NE]], label %[[MISS:.*]], label %[[CONT:.*]], !prof
; CHECK:      [[MISS]]:
; CHECK-NEXT: [[N:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4120 to ptr addrspace(256)), align 8, !alias.scope [[WS:![0-9]+]], !noalias [[NOTWS:![0-9]+]], !stmc.internal
; CHECK-NEXT: [[LIM:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4136 to ptr addrspace(256)), align 8, !alias.scope [[WS]], !noalias [[NOTWS]], !stmc.internal
; CHECK-NEXT: [[OFF:%.*]] = sub i64 [[A]], 1073741824
; CHECK-NEXT: [[PAGE:%.*]] = lshr i64 [[OFF]], 12
; CHECK-NEXT: [[ROOM:%.*]] = icmp ult i64 [[N]], [[LIM]]
; CHECK-NEXT: [[INHEAP:%.*]] = icmp ult i64 [[PAGE]], 1835008
; CHECK-NEXT: [[OK:%.*]] = and i1 [[ROOM]], [[INHEAP]]
; CHECK-NEXT: br i1 [[OK]], label %[[PRIVBB:.*]], label %[[SLOW:.*]], !prof
; CHECK:      [[PRIVBB]]:
; CHECK-NEXT: [[PO:%.*]] = add i64 [[PAGE]], 553582592
; CHECK-NEXT: [[PP:%.*]] = inttoptr i64 [[PO]] to ptr addrspace(256)
; CHECK-NEXT: [[PRIV:%.*]] = load atomic i8, ptr addrspace(256) [[PP]] monotonic, align 1, !alias.scope [[MARK:![0-9]+]], !noalias [[NOTMARK:![0-9]+]], !stmc.internal
; CHECK-NEXT: [[ISPRIV:%.*]] = icmp ne i8 [[PRIV]], 0
; CHECK-NEXT: br i1 [[ISPRIV]], label %[[APPEND:.*]], label %[[SLOW]], !prof
; CHECK:      [[APPEND]]:
; CHECK-NEXT: [[G2:%.*]] = lshr i64 [[A]], 4
; CHECK-NEXT: [[VOFF:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4152 to ptr addrspace(256)), align 8, !alias.scope [[WS]], !noalias [[NOTWS]], !stmc.internal
; CHECK-NEXT: [[N4:%.*]] = shl i64 [[N]], 2
; CHECK-NEXT: [[SLOT:%.*]] = add i64 [[VOFF]], [[N4]]
; CHECK-NEXT: [[G32:%.*]] = trunc i64 [[G2]] to i32
; CHECK-NEXT: [[SP:%.*]] = inttoptr i64 [[SLOT]] to ptr addrspace(256)
; CHECK-NEXT: store i32 [[G32]], ptr addrspace(256) [[SP]], align 4, !alias.scope [[WS]], !noalias [[NOTWS]], !stmc.internal
; CHECK-NEXT: [[N1:%.*]] = add i64 [[N]], 1
; CHECK-NEXT: store i64 [[N1]], ptr addrspace(256) inttoptr (i64 4120 to ptr addrspace(256)), align 8, !alias.scope [[WS]], !noalias [[NOTWS]], !stmc.internal
; CHECK-NEXT: [[WO:%.*]] = add i64 [[G2]], 536805376
; CHECK-NEXT: [[WP:%.*]] = inttoptr i64 [[WO]] to ptr addrspace(256)
; CHECK-NEXT: store i8 [[WV]], ptr addrspace(256) [[WP]], align 1, !alias.scope [[MARK]], !noalias [[NOTMARK]], !stmc.internal
; CHECK-NEXT: [[RO:%.*]] = add i64 [[G2]], 0
; CHECK-NEXT: [[RP:%.*]] = inttoptr i64 [[RO]] to ptr addrspace(256)
; CHECK-NEXT: store i8 [[WV]], ptr addrspace(256) [[RP]], align 1, !alias.scope [[MARK]], !noalias [[NOTMARK]], !stmc.internal
; CHECK-NEXT: [[C:%.*]] = load i64, ptr addrspace(256) inttoptr (i64 4144 to ptr addrspace(256)), align 8, !alias.scope [[WS]], !noalias [[NOTWS]], !stmc.internal
; CHECK-NEXT: [[C1:%.*]] = add i64 [[C]], 1
; CHECK-NEXT: store i64 [[C1]], ptr addrspace(256) inttoptr (i64 4144 to ptr addrspace(256)), align 8, !alias.scope [[WS]], !noalias [[NOTWS]], !stmc.internal
; CHECK-NEXT: br label %[[CONT]]
; CHECK:      [[SLOW]]:
; CHECK-NEXT: call void @_stm_write_slow(i64 [[A]], i64 4, ptr @.stmc.site)
; CHECK-NEXT: br label %[[CONT]]
; CHECK:      [[CONT]]:
; CHECK-NEXT: store i32 %v, ptr addrspace(256) %p, align 4, !noalias [[ALL:![0-9]+]]
; CHECK-NOT:  call void @_stm_read_slow(
; CHECK:      ret void
  store i32 %v, ptr addrspace(256) %p, align 4
  ret void
}
; Three scopes of one domain; each metadata access is !noalias with the other two, user
; accesses with all three.
; CHECK-DAG: [[HDR]] = !{[[HDRS:![0-9]+]]}
; CHECK-DAG: [[HDRS]] = distinct !{[[HDRS]], [[DOM:![0-9]+]], !"stmc.header"}
; CHECK-DAG: [[MARK]] = !{[[MARKS:![0-9]+]]}
; CHECK-DAG: [[MARKS]] = distinct !{[[MARKS]], [[DOM]], !"stmc.markers"}
; CHECK-DAG: [[WS]] = !{[[WSS:![0-9]+]]}
; CHECK-DAG: [[WSS]] = distinct !{[[WSS]], [[DOM]], !"stmc.wset"}
; CHECK-DAG: [[NOTHDR]] = !{[[MARKS]], [[WSS]]}
; CHECK-DAG: [[NOTMARK]] = !{[[HDRS]], [[WSS]]}
; CHECK-DAG: [[NOTWS]] = !{[[HDRS]], [[MARKS]]}
; CHECK-DAG: [[ALL]] = !{[[HDRS]], [[MARKS]], [[WSS]]}
