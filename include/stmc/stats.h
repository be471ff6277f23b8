/* stmc/stats.h - the runtime's statistics counters, as one X-macro table.
 *
 * STMC_STATS(X) calls X(name, description) once per counter.  <stmc.h> builds
 * struct stm_stats from it; the runtime counts with it and prints it at exit when STM_STATS=1.
 * Counters are totals over all segments since the process started.
 */
#ifndef STMC_STATS_H
#define STMC_STATS_H

#define STMC_STATS(X)                                                                        \
    X(commits,            "transactions committed (atomic blocks and implicit transactions)") \
    X(commits_atomic,     "atomic blocks committed")                                         \
    X(commits_implicit,   "implicit transactions committed")                                 \
    X(commits_readonly,   "commits with an empty write set (no commit lock taken)")          \
    X(aborts,             "aborts, all causes")                                              \
    X(aborts_commit,      "aborts: read-write conflict found when validating at commit")     \
    X(aborts_inevitable,  "aborts: conflict found when becoming inevitable")                 \
    X(aborts_validate,    "aborts: conflict found by stm_validate() (also called by stm_free " \
                          "and stm_realloc on an object they find not allocated)")           \
    X(aborts_test,        "aborts requested by a test hook (or STM_INJECT_ABORTS)")          \
    X(inevitable,         "transactions that became inevitable (implicit ones included)")    \
    X(inevitable_retries, "atomic blocks retried inevitable after STM_MAX_ABORTS aborts")    \
    X(long_attempts,      "of them, after a retry that ran STM_LONG_ATTEMPT_US or longer "    \
                          "aborted for a conflict")                                           \
    X(inevitable_waits,   "waits for another segment's inevitable transaction")              \
    X(segment_waits,      "waits for a free segment")                                        \
    X(own_cow,            "pages made private by the writing segment")                       \
    X(forced_cow,         "pages made private in another running segment by a committer")   \
    X(fresh_skip,         "granules of a commit's own allocations whose pages it did not "  \
                          "privatise in other segments' snapshots (STM_NO_FRESH_SKIP)")      \
    X(published_granules, "16-byte granules copied into segment 0 by commits")               \
    X(imported_granules,  "16-byte granules copied from commit-log entries into private "     \
                          "pages by imports (starts and validations)")                      \
    X(log_entries,        "commit-log entries appended")                                     \
    X(log_runs,           "runs of consecutive granules in appended entries (a copy each)")   \
    X(wset_bulk,          "granules that entered the write set a page's range at a time")     \
    X(wraps,              "version wraps (by default they reset no markers: "                \
                          "STM_NO_LAZY_RMARK, STM_NO_WMARK_CLEAR)")                          \
    X(reshares,           "segments whose private pages were dropped (remapped shared)")     \
    X(reshare_growths,    "reshare thresholds doubled: the segment copied its pages again soon") \
    X(lag_resets,         "idle segments reset because the commit log grew too long")        \
    X(implicit_breaks,    "implicit transactions ended at a safe point (YIELD)")             \
    X(implicit_syncs,     "implicit transactions ended at an atomic operation or fence")   \
    X(allocs,             "stm_alloc calls")                                                 \
    X(frees,              "stm_free calls that committed (stm_realloc's included), but not " \
                          "those counted in frees_fresh")                                    \
    X(frees_reused,       "freed objects handed back to the allocator")                      \
    X(frees_fresh,        "stm_free calls on an object the calling transaction allocated: " \
                          "freed at once, counted at the call (aborted attempts included)")  \
    X(pool_puts,          "free small objects a segment's list gave to the shared pool")     \
    X(pool_takes,         "free small objects a segment's empty list took from the pool")    \
    X(free_marks,         "stm_free double-free checks by the object's pending mark (O(1))") \
    X(wmark_clears,       "write markers cleared at transaction end (none left for wraps)")  \
    X(rmark_wraps_lazy,   "version wraps that left the read markers stale (lazy reset)")     \
    X(rmark_lazy_resets,  "read-marker resets after an abort while they were stale")         \
    X(aborts_stale_rmarks,"aborts while stale read markers were present (may be spurious)")  \
    X(log_recycled,       "commit-log entries reused by the segment that made them")        \
    X(log_mapped_reused,  "commit-log entries of 256 KiB or more taken from their segment's "  \
                          "cache of dead ones instead of a new mapping (STM_NO_LOG_RECYCLE)")  \
    X(log_big_trims,      "commits of an entry of more than 8192 granules that trimmed the "   \
                          "log at once (STM_NO_LOG_BIG)")                                      \
    X(log_big_reused,     "entries of more than 8192 granules reused by their segment's next "  \
                          "commit of at least half the size (STM_NO_LOG_BIG)")                \
    X(log_fast_forward,   "idle segments without private pages moved to the log's tail")     \
    X(log_unheld_kept,    "log trims that left a segment its thread gave back less than "      \
                          "STM_UNHELD_RESET_US ago with its private pages")                   \
    X(unmarked,           "atomic blocks started without read markers (read-only attempts)") \
    X(unmarked_upgrades,  "unmarked attempts that wrote: aborted and run again with markers") \
    X(start_fallbacks,    "atomic-block starts that took the locked path (implicit and "    \
                          "inevitable starts always take it and are not counted)")           \
    X(start_waits,        "starts that waited for a locked section in flight to end")        \
    X(snap_kept,          "starts in a segment that still held its snapshot (no announcing)") \
    X(quiesces,           "segments that stopped holding their snapshot between transactions") \
    X(quiesces_remote,    "idle segments whose snapshot a committer let go (pinned frees)")  \
    X(reclaim_scans,      "scans of the segments' snapshots for reusing deferred frees")     \
    X(commit_lock_waits,  "writing commits that found the commit lock held")               \
    X(wait_validations,   "imports of entries linked while a commit waited for the lock")  \
    X(prevalidations,     "imports and checks of log entries by commits before the lock")  \
    X(writes_fast,        "granules recorded by the write slow path's one-granule case")    \
    X(reads_fast,         "range read barriers of at most 32 granules marked by the read "    \
                          "slow path's short case (STM_NO_READ_FAST)")                        \
    X(writes_inline,      "granules recorded by the write fast path itself, without a call " \
                          "(STM_NO_WRITE_INLINE)")                                           \
    X(backoffs,           "retries after a conflict that first waited (STM_NO_ABORT_BACKOFF)")\
    X(backoff_pauses,     "pause instructions those waits took in all")                    \
    X(allocs_fast,        "stm_alloc calls that took the short path (STM_NO_ALLOC_FAST)")    \
    X(frees_fast,         "stm_free calls that took the short path (STM_NO_ALLOC_FAST)")    \
    X(fresh_pops,         "fresh frees of the latest allocation that dropped its write-set " \
                          "and allocation entries (STM_NO_FRESH_POP)")                                     \
    X(fresh_cuts,         "fresh frees of a large object whose write-set entries were cut out " \
                          "from under a few later ones (STM_NO_FRESH_POP)")                 \
    X(fresh_compactions,  "write sets and allocation lists rid of dead entries before growing " \
                          "(STM_NO_FRESH_COMPACT)")                                          \
    X(fresh_rmark_skips,  "stm_alloc calls in a transaction that left the new object's read " \
                          "markers unset (STM_NO_FRESH_RMARK_SKIP)")                        \
    X(commits_short,      "atomic blocks and implicit transactions that wrote 1-16 granules " \
                          "and committed by the short path (STM_NO_COMMIT_SHORT)")           \
    X(commits_unlogged,   "short commits without a commit-log entry: no segment but the " \
                          "first had ever been held (STM_NO_UNLOGGED)")                     \
    X(reuses_unlocked,    "deferred frees handed back to the allocator after the commit's " \
                          "lock, not under it (STM_NO_UNLOCKED_REUSE)")                     \
    X(import_prefetches,  "commit-log entries whose values an import asked for with the "   \
                          "entry's header (STM_NO_IMPORT_PREFETCH)")                        \
    X(commits_temp,       "writing commits whose writes all went to objects the transaction " \
                          "allocated and freed again: committed as read-only ones "         \
                          "(STM_NO_TEMP_COMMIT)")                                            \
    X(commit_pages,       "pages listed before the lock for a commit's privatisation in "    \
                          "other segments' snapshots, aborted attempts included "              \
                          "(STM_NO_COMMIT_PAGES)")                                            \
    X(warmup_takes,       "small objects a thread took from new memory in its first "         \
                          "transaction to take new memory of their class, without asking the " \
                          "other segments' lists for theirs, aborted attempts included "       \
                          "(STM_NO_WARMUP_TAKES)")                                            \
    X(realloc_slack,      "stm_realloc calls on large objects that grew them by half at "     \
                          "least, or kept them in place for a size that fits "                \
                          "(STM_NO_REALLOC_SLACK)")                                          \
    X(implicit_slice_waits, "waits of implicit starts that let the token's holder, which had " \
                          "written, run its whole slice before asking for the token "        \
                          "(STM_IMPLICIT_SLICE_US)")                                        \
    X(reclaims_for_room,  "allocations that found the heap full and got room back from frees " \
                          "that no snapshot could see any more, handed back at once")      \
    X(room_sweeps,        "allocations that found the heap full after that and gathered every " \
                          "segment's free small objects (STM_NO_ROOM_SWEEP)")                \
    X(room_gives,         "free small objects that a segment's lists gave to the pool for an " \
                          "allocation that found the heap full")                            \
    X(chunks_released,    "chunks of small objects, all free, given back to the page allocator " \
                          "for objects of any size by a room sweep")                       \
    X(log_desc_runs,      "runs of commit-log entries whose granules the write set held in " \
                          "descending order (STM_NO_DESC_RUNS)")                             \
    X(wait_releases,      "segments given back or parked (for a thread that waits for one to " \
                          "take) before a call that waits for other threads (an OpenMP "    \
                          "barrier, critical section or lock: STM_NO_WAIT_RELEASE)")          \
    X(create_parks,       "segments parked by a thread starting another, for it to take "     \
                          "(STM_NO_CREATE_PARK)")                                              \
    X(parked_taken,       "parked segments taken by a thread that waited for one (or that "  \
                          "their owner started: create_parks)")

#endif /* STMC_STATS_H */
