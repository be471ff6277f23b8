; Masked vector accesses on the heap (AVX-512's masked load/store builtins: llvm.masked.load
; and .store) get the barrier of the whole vector, as a load or store of that size would: they
; had none (a review's program, _mm512_mask_storeu_epi32 in atomic blocks: the other thread saw
; none of the writes, an injected abort kept them).  Every lane is covered, masked off or not.
; (Expanding loads and compressing stores too: clang gives them a heap pointer that their
; declaration, address space 0 only, does not allow, so opt would refuse them here; they are
; run in e2e/masked_vector_access.c.)  LLVM 22 gives the alignment as an attribute of the pointer.
; RUN: %opt_stm -passes=stmc-instrument -S < %s | FileCheck %s

define <16 x i32> @load(ptr addrspace(256) %p, <16 x i1> %m) {
; CHECK-LABEL: define <16 x i32> @load(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK:      call void @_stm_read_slow(i64 [[A]], i64 64,
; CHECK:      call <16 x i32> @llvm.masked.load.v16i32.p256(ptr addrspace(256) {{(align 4 )?}}%p
  %v = call <16 x i32> @llvm.masked.load.v16i32.p256(ptr addrspace(256) %p, i32 4, <16 x i1> %m, <16 x i32> zeroinitializer)
  ret <16 x i32> %v
}

define void @store(ptr addrspace(256) %p, <16 x i32> %v, <16 x i1> %m) {
; CHECK-LABEL: define void @store(
; CHECK:      [[A:%.*]] = ptrtoint ptr addrspace(256) %p to i64
; CHECK:      call void @_stm_write_slow(i64 [[A]], i64 64,
; CHECK:      call void @llvm.masked.store.v16i32.p256(<16 x i32> %v, ptr addrspace(256) {{(align 4 )?}}%p
  call void @llvm.masked.store.v16i32.p256(<16 x i32> %v, ptr addrspace(256) %p, i32 4, <16 x i1> %m)
  ret void
}

declare <16 x i32> @llvm.masked.load.v16i32.p256(ptr addrspace(256), i32, <16 x i1>, <16 x i32>)
declare void @llvm.masked.store.v16i32.p256(<16 x i32>, ptr addrspace(256), i32, <16 x i1>)

