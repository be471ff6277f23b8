/* stmc/layout.h - the segment layout shared by the runtime and the compiler pass.
 *
 * Every value here is part of the ABI between code instrumented by the stmc plugin and
 * libstmc: the pass emits inline fast paths that address these offsets through %gs.
 * Change one and you must bump STMC_ABI_VERSION in stmc/abi.def.
 *
 * A segment is STMC_SEG_SIZE bytes of virtual memory.  A heap pointer (STM_HEAP T *) is an
 * offset inside a segment, the same value in every segment; %gs holds the base of the
 * segment the current thread runs its transaction in.
 *
 *   [0, 4 KiB)                 PROT_NONE: a null heap pointer faults
 *   [STMC_HDR_OFF, +4 KiB)     the segment header (struct _stm_seg_hdr in runtime/segment.h)
 *   [64 MiB, 512 MiB)          read markers: rmark(a) is the byte at offset a >> 4
 *   [576 MiB - 64 KiB, 1 GiB - 64 KiB)  write markers: wmark(a) is the byte at
 *                              STMC_WMARK_OFF + (a >> 4)
 *   [STMC_HEAP_START, STMC_SEG_SIZE)  the heap: 7 GiB of objects
 *
 * Plain C, no includes: usable from C11 and C++.
 */
#ifndef STMC_LAYOUT_H
#define STMC_LAYOUT_H

#define STMC_SEG_SHIFT      33                             /* 8 GiB per segment */
#define STMC_SEG_SIZE       (1ULL << STMC_SEG_SHIFT)
#define STMC_GRANULE_SHIFT  4                              /* conflicts are tracked per 16 B */
#define STMC_GRANULE        (1ULL << STMC_GRANULE_SHIFT)
#define STMC_PAGE_SIZE      4096ULL

#define STMC_HDR_OFF        0x1000ULL
/* uint8: read version of the running transaction, 2..254: the read fast path stores it in the
 * read marker of every granule it reads.  0 means "no transaction may read here yet": the read
 * fast path must call _stm_read_slow.  STMC_VERSION_UNMARKED (1): a transaction that reads
 * without markers (read-only so far: it sees a frozen snapshot and needs no validation); the
 * read fast path does nothing. */
#define STMC_HDR_RV         (STMC_HDR_OFF + 0)
/* uint8: write version, equal to RV while a transaction may write; 0xFF when none may (write
 * markers never hold 0xFF, so the write fast path always falls to _stm_write_slow), which
 * includes unmarked transactions. */
#define STMC_HDR_WV         (STMC_HDR_OFF + 1)
/* uint8: non-zero asks the next safe point to call _stm_safepoint_slow. */
#define STMC_HDR_YIELD      (STMC_HDR_OFF + 2)
/* uint64: flat (%gs-less) address of this segment's base; used to turn heap offsets into
 * plain pointers (addrspacecast 256 -> 0). */
#define STMC_HDR_BASE       (STMC_HDR_OFF + 8)

#define STMC_RMARK_OFF      0ULL
/* 512 MiB less 64 KiB, not 512 MiB: a granule's two markers then differ in address bits 16-28,
 * not only in bit 29.  AMD's L1 data cache predicts the way of a load from a hash of address
 * bits 12-27 (the "utag"); two lines of one set whose addresses agree in those bits evict each
 * other from the prediction, and a write barrier's slow path stores both markers: at 512 MiB
 * apart, those two byte stores took 40% of the time of transactions writing two granules
 * (Zen 4 host; docs/design.md, "Marker layout"). */
#define STMC_WMARK_OFF      ((512ULL << 20) - (64ULL << 10))
#define STMC_HEAP_START     (1ULL << 30)
#define STMC_HEAP_END       STMC_SEG_SIZE

#define STMC_VERSION_INACTIVE_R 0x00
#define STMC_VERSION_UNMARKED   0x01
#define STMC_VERSION_INACTIVE_W 0xFF

#endif /* STMC_LAYOUT_H */
