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
 *   [528 MiB - 64 KiB, +1.75 MiB)  the private-page bytes (STMC_PRIV_OFF)
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
/* The running transaction's write set, which the write fast path may append to inline:
 * WS_N (uint64) is its number of entries, WS_VOFF (uint64) the address of its array of uint32
 * granule indexes (offset >> 4) less the segment's base (a flat array, reached through %gs:
 * the address wraps around modulo 2^64).  While WS_N < WS_LIM (uint64), the write fast path
 * may record a granule itself, when the access lies in one granule whose page is private in
 * this segment (PRIV below): it stores the granule's index at %gs:(WS_VOFF + 4 * WS_N), WS_N +
 * 1, WV in the granule's write and read markers, and adds 1 to WRITES_INLINE (uint64, a
 * counter the runtime reports).  WS_LIM is 0 whenever the runtime wants every first write to
 * a granule to reach _stm_write_slow (no transaction, an unmarked one, STM_NO_WRITE_INLINE=1,
 * ...); else the array's capacity, or less (an implicit transaction's size limit). */
#define STMC_HDR_WS_N       (STMC_HDR_OFF + 24)
#define STMC_HDR_WS_LIM     (STMC_HDR_OFF + 40)
#define STMC_HDR_WRITES_INLINE (STMC_HDR_OFF + 48)
#define STMC_HDR_WS_VOFF    (STMC_HDR_OFF + 56)
/* int32: the segment's number (1..N for threads' segments; -1 in the dummy segment that %gs
 * selects in a thread that holds none).  Not read by instrumented code: for debuggers
 * (tools/stmc-gdb.py), like _stm_debug below. */
#define STMC_HDR_INDEX      (STMC_HDR_OFF + 64)

/* What a debugger needs to find the segments (tools/stmc-gdb.py; docs/api.md, "Debugging"):
 * the runtime exports unsigned long long _stm_debug[4], set at start-up. */
#define STMC_DEBUG_LAYOUT   0   /* 1: the runtime is set up, with this layout */
#define STMC_DEBUG_SEG0     1   /* flat address of segment 0, whose heap is the committed state */
#define STMC_DEBUG_NSEG     2   /* the number of threads' segments (1..N follow segment 0) */
#define STMC_DEBUG_VIEW     3   /* 1: segment 0's heap is also mapped, PROT_NONE, at the heap
                                 * pointers' own values (STM_GDB_VIEW), so a debugger reads a
                                 * heap pointer as a plain one */

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
/* uint8 per heap page: the byte at STMC_PRIV_OFF + ((a - STMC_HEAP_START) >> 12) is non-zero
 * when the page of heap offset a is private in this segment (a write may land in it without
 * the runtime).  The array covers the largest heap: STMC_PRIV_PAGES bytes.  It lies in the
 * write markers' unused first 64 MiB (those of offsets below the heap), which only loads
 * reach: in the read markers' (below 64 MiB), the marker store of a read through a stray heap
 * pointer below the heap could set its bytes. */
#define STMC_PRIV_OFF       (STMC_WMARK_OFF + (16ULL << 20))
#define STMC_PRIV_PAGES     ((STMC_HEAP_END - STMC_HEAP_START) / STMC_PAGE_SIZE)

#define STMC_VERSION_INACTIVE_R 0x00
#define STMC_VERSION_UNMARKED   0x01
#define STMC_VERSION_INACTIVE_W 0xFF

#endif /* STMC_LAYOUT_H */
