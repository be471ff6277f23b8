; A load in a short-circuit loop condition and its repeat in the body (the frontend's shape of
; "while (n && n->key != k) n = k < n->key ? n->left : n->right"): the condition's && merges
; in a phi that is branched on, so the first load does not dominate the second until
; SimplifyCFG threads that branch.  The pass runs SimplifyCFG before EarlyCSE (switch
; -stmc-simplify-cfg): the two loads of n->key become one, with one barrier; without it, two.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s --check-prefix=ON
; RUN: %opt_stm -passes=stmc-instrument -stmc-simplify-cfg=false -S < %s | FileCheck %s --check-prefix=OFF
; RUN: %opt_stm -passes=stmc-instrument -stmc-report -disable-output < %s 2>&1 | FileCheck %s --check-prefix=REPORT
; RUN: %opt_stm -passes=stmc-instrument -stmc-simplify-cfg=false -stmc-report -disable-output < %s 2>&1 | FileCheck %s --check-prefix=REPORT-OFF

%node = type { i64, ptr addrspace(256), ptr addrspace(256) }

define ptr addrspace(256) @find(ptr addrspace(256) %root, i64 %k) {
; ON-LABEL: define ptr addrspace(256) @find(
; ON-COUNT-2: call void @_stm_read_slow(
; ON-NOT:     call void @_stm_read_slow(
; ON:         ret ptr addrspace(256)
; OFF-LABEL: define ptr addrspace(256) @find(
; OFF-COUNT-3: call void @_stm_read_slow(
; OFF:         ret ptr addrspace(256)
; REPORT: instrumented: loads 2,
; REPORT-OFF: instrumented: loads 3,
entry:
  br label %cond
cond:
  %n = phi ptr addrspace(256) [ %root, %entry ], [ %next, %body ]
  %nonnull = icmp ne ptr addrspace(256) %n, null
  br i1 %nonnull, label %cond.key, label %cond.end
cond.key:
  %key = load i64, ptr addrspace(256) %n, align 8
  %ne = icmp ne i64 %key, %k
  br label %cond.end
cond.end:
  %go = phi i1 [ false, %cond ], [ %ne, %cond.key ]
  br i1 %go, label %body, label %exit
body:
  %key2 = load i64, ptr addrspace(256) %n, align 8
  %lt = icmp slt i64 %k, %key2
  %lp = getelementptr inbounds %node, ptr addrspace(256) %n, i32 0, i32 1
  %rp = getelementptr inbounds %node, ptr addrspace(256) %n, i32 0, i32 2
  %cp = select i1 %lt, ptr addrspace(256) %lp, ptr addrspace(256) %rp
  %next = load ptr addrspace(256), ptr addrspace(256) %cp, align 8
  br label %cond
exit:
  ret ptr addrspace(256) %n
}
