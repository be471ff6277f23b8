//===- StmcInstrument.cpp - STM barriers for address space 256 --------------===//
//
// The stmc barrier pass.  See docs/design.md, section "Compiler pass", for the contract; the
// inline fast paths follow include/stmc/layout.h and the runtime entry points come from
// include/stmc/abi.def (never listed by hand here).
//
// Order of work per module (stmc-instrument):
//   1. module flag check (idempotence), static-initializer check, STM_PURE / STM_EXTERNAL sets
//      from llvm.global.annotations, stm_immutable llvm.ptr.annotation calls consumed;
//   2. per defined function: mem2reg, SimplifyCFG and EarlyCSE (not in optnone functions; the
//      last two not with setjmp), address-space casts rewritten,
//      accesses collected, elisions decided on the unchanged CFG, then code emitted: memory
//      intrinsics -> runtime calls, external calls wrapped, barriers, hoisted barriers, safe
//      points; user accesses get !noalias against the barriers' own alias scope;
//   3. _stm_abi_v6 referenced from llvm.compiler.used; the report printed on request.
// stmc-lower-late (OptimizerLast, and at the end of LTO): memory intrinsics on the heap that
// the optimiser created are lowered, then the loads of call-free read-only loops are made
// through the segment's flat base (flattenCallFreeLoops).
//===----------------------------------------------------------------------===//

#include "StmcPass.h"

#include <functional>
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/CFG.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/Verifier.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Analysis/DomTreeUpdater.h"
#include "llvm/Analysis/BasicAliasAnalysis.h"
#include "llvm/Analysis/TypeBasedAliasAnalysis.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/GetElementPtrTypeIterator.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ValueMapper.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"
#include "llvm/Transforms/Utils/ScalarEvolutionExpander.h"

#include "stmc/layout.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

using namespace llvm;

#define DEBUG_TYPE "stmc"

STATISTIC(NumLoads, "stmc: loads instrumented");
STATISTIC(NumStores, "stmc: stores instrumented");
STATISTIC(NumRMW, "stmc: atomicrmw/cmpxchg instrumented");
STATISTIC(NumIntrinsics, "stmc: memory intrinsics lowered at pipeline start");
STATISTIC(NumIntrinsicsLate, "stmc: memory intrinsics lowered by the late safety net");
STATISTIC(NumScalarizedMem, "stmc: small memory intrinsics made loads and stores");
STATISTIC(NumSafepoints, "stmc: safe points inserted");
STATISTIC(NumAtomicSyncs, "stmc: atomic operations that end the implicit transaction");
STATISTIC(NumOutlinedCalls, "stmc: calls to functions with loops kept out of setjmp callers");
STATISTIC(NumKeptLocals, "stmc: locals kept in memory across an atomic block's retry");
STATISTIC(NumRestoredLocals, "stmc: locals restored at an atomic block's retry");
STATISTIC(NumHoistedPastStores, "stmc: heap loads moved out of loops in blocks past their stores");
STATISTIC(NumLoopLocalRegisters, "stmc: loops through which a restored local stays in a register");
STATISTIC(NumFlatLoads, "stmc: heap loads in call-free loops made through the segment base");
STATISTIC(NumSafepointsElided, "stmc: safe points left out of loops that cannot wait");
STATISTIC(NumExternal, "stmc: external calls wrapped");
STATISTIC(NumExternalWaits, "stmc: external calls that wait for other threads (and callback "
                            "returns) wrapped with _stm_external_wait");
STATISTIC(NumElideSame, "stmc: barriers elided, same granule already barriered");
STATISTIC(NumElideRAW, "stmc: read barriers elided after a write barrier");
STATISTIC(NumElideRBW, "stmc: write barriers merged into the preceding read's barrier");
STATISTIC(NumElideFresh, "stmc: barriers elided on objects allocated in this transaction");
STATISTIC(NumElideImmutable, "stmc: read barriers elided on stm_immutable fields");
STATISTIC(NumImmutableStores, "stmc: stores to stm_immutable fields checked by the runtime");
STATISTIC(NumElideHoisted, "stmc: loop-invariant barriers hoisted to the preheader");
STATISTIC(NumElideRanged, "stmc: barriers covered by a range barrier in the loop preheader");
STATISTIC(NumRangeBarriers, "stmc: range barriers emitted in loop preheaders");
STATISTIC(NumCallbackReturns, "stmc: returns of callbacks into code stmc did not compile");
STATISTIC(NumWriteRanges, "stmc: range barriers for stores");
STATISTIC(NumStridedRanges, "stmc: range barriers that mark one field of each element");
STATISTIC(NumInvariantRanges, "stmc: range barriers of an access at a loop-invariant address");
STATISTIC(NumRuntimeStrides, "stmc: strided range barriers whose stride is known at run time only");
STATISTIC(NumHoistedBlockLoads, "stmc: heap loads moved out of loops inside atomic blocks");
STATISTIC(NumHoistedPlainLoads, "stmc: loads of plain memory moved out of call-free loops");
STATISTIC(NumShortLoopCopies, "stmc: barrier-free loops copied without their safe point for short runs");
STATISTIC(NumBlockSafepointsElided, "stmc: safe points left out of loops inside atomic blocks");
STATISTIC(NumInlineAppends, "stmc: write barriers that record their granule inline");

stmc::SystemFunctions &stmc::systemFunctions() {
  static SystemFunctions SF;
  return SF;
}

bool stmc::SiteLocations = true;

namespace {

// ---- switches (reachable from clang with -mllvm) -------------------------------------------
cl::opt<bool> ClElideSameGranule("stmc-elide-same-granule", cl::init(true), cl::Hidden,
    cl::desc("Elide a barrier dominated by a barrier on the same granule (same extended "
             "basic block, no call in between)"));
cl::opt<bool> ClShareRV("stmc-share-rv", cl::init(true), cl::Hidden,
    cl::desc("A read barrier dominated by another one in the same extended basic block, with "
             "no call in between, reuses its RV value (even across its slow path) instead of "
             "loading RV again, so that the optimizer folds its tests"));
cl::opt<bool> ClReadOnlyClones("stmc-readonly-clones", cl::init(true), cl::Hidden,
    cl::desc("Clone each function that reads the STM heap and is called directly into a "
             "version without read barriers or safe points; calls dispatch to it while the "
             "running transaction is unmarked (RV == 1: read-only, a frozen snapshot)"));
cl::opt<bool> ClElideReadAfterWrite("stmc-elide-read-after-write", cl::init(true), cl::Hidden,
    cl::desc("Elide a read barrier after a write barrier on the same address"));
cl::opt<bool> ClElideReadBeforeWrite("stmc-elide-read-before-write", cl::init(true), cl::Hidden,
    cl::desc("A read followed in the same block, with no call in between, by a write of the "
             "same bytes gets the write barrier up front; the write needs none"));
cl::opt<bool> ClElideFresh("stmc-elide-fresh", cl::init(true), cl::Hidden,
    cl::desc("Elide barriers on objects stm_alloc'ed in this function with no transaction "
             "boundary in between"));
cl::opt<bool> ClElideLoopInvariant("stmc-elide-loop-invariant", cl::init(true), cl::Hidden,
    cl::desc("Hoist barriers on loop-invariant addresses to the loop preheader (innermost "
             "loops without calls; the access must execute on every iteration)"));
cl::opt<bool> ClRangeWrites("stmc-range-writes", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-range-barriers: stores (and `a[i] += x`) made on every iteration at "
             "an address that advances by at most a granule (or their size) get one write "
             "barrier over the whole range in the preheader"));
cl::opt<bool> ClStridedRanges("stmc-strided-ranges", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-range-barriers: a load of at most a granule whose address advances by "
             "more than a granule (one field of an array of structs) gets a strided range "
             "barrier, which marks that field's granules in each element only"));
cl::opt<bool> ClRuntimeStrides("stmc-runtime-strides", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-strided-ranges: also a load whose address advances by a loop-invariant "
             "amount known only at run time (`b[k * n + j]` over k: a column of a matrix) gets "
             "a strided range barrier, with the stride's absolute value computed in the "
             "preheader"));
cl::opt<bool> ClInvariantRanges("stmc-invariant-ranges", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-range-barriers: an access made on every iteration at an address that "
             "ScalarEvolution finds loop-invariant, though computed in the loop (`c[i * n + j] "
             "+= ...` over k), gets its barrier once in the preheader"));
cl::opt<bool> ClWaitRelease("stmc-wait-release", cl::init(true), cl::Hidden,
    cl::desc("External calls that wait for other threads (OpenMP's barriers, critical "
             "sections, locks, reductions, taskwaits, parallel regions) and the returns of "
             "functions that such code calls back call _stm_external_wait, which gives the "
             "segment back at once to a thread that waits for one"));
cl::opt<bool> ClLoopLocalRegisters("stmc-loop-local-registers", cl::init(true), cl::Hidden,
    cl::desc("A local that an atomic block's retry restores stays in a register through an "
             "innermost loop without calls (loaded before it, stored at its exits) instead of "
             "a volatile load and store at each access"));
cl::opt<bool> ClHoistGuardedLoads("stmc-hoist-guarded-loads", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-hoist-block-loads: a heap load at a loop-invariant address in the body "
             "of a loop in an atomic block (`x->items` in `for (i = 0; i < n; i++) s += "
             "x->items[i]`), which the header's last test skips, moves before the loop behind "
             "a test that the body runs"));
cl::opt<bool> ClHoistPastStores("stmc-hoist-past-stores", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-hoist-block-loads: also in a loop that stores to the heap, a load that "
             "alias analysis (type-based: clang's TBAA) finds no store of the loop changes "
             "(the row pointer of `acc[k][j] += p[j]`)"));
cl::opt<bool> ClHoistPlainLoads("stmc-hoist-plain-loads", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-range-barriers: in an innermost loop without calls, atomics or fences "
             "(in or outside atomic blocks), a load of plain memory at a loop-invariant "
             "address that alias analysis finds no store of the loop changes (the row pointer "
             "`rows[c]` of `s += rows[c][j]`) moves before the loop, as LICM would move it "
             "without the safe point the pass adds, so that the heap access it addresses "
             "gets a range barrier"));
cl::opt<bool> ClShortLoopCopies("stmc-short-loop-copies", cl::init(true), cl::Hidden,
    cl::desc("An innermost loop outside atomic blocks whose only runtime code is its safe "
             "point (every barrier ranged or hoisted) and whose trip count is computable gets "
             "a copy without the safe point, run when it takes fewer than "
             "-stmc-short-loop-trips steps (so that it can be unrolled and vectorised)"));
cl::opt<unsigned> ClShortLoopTrips("stmc-short-loop-trips", cl::init(1024), cl::Hidden,
    cl::desc("With -stmc-short-loop-copies: the copy without the safe point runs loops of fewer "
             "steps than this"));
cl::opt<bool> ClVerify("stmc-verify", cl::init(true), cl::Hidden,
    cl::desc("Run LLVM's verifier on each function the pass instrumented (clang does not at "
             "-O1 and above), and report one that does not verify as an error"));
cl::opt<bool> ClTestBreakIR("stmc-test-break-ir", cl::init(false), cl::Hidden,
    cl::desc("(tests only) leave an instruction that uses itself in each instrumented "
             "function, for the test of -stmc-verify"));
cl::opt<bool> ClRangeBarriers("stmc-range-barriers", cl::init(true), cl::Hidden,
    cl::desc("In innermost loops with a computable trip count and no calls, the read barriers "
             "of loads made on every iteration at an address that advances by at most a "
             "granule (or the load's size) become one barrier over the whole range in the "
             "preheader"));
cl::opt<bool> ClHoistBlockLoads("stmc-hoist-block-loads", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-range-barriers: in a loop inside an atomic block that writes no heap "
             "and calls nothing, heap loads at loop-invariant addresses move to the preheader "
             "(the snapshot does not change), so that a bound read from the heap gives a "
             "computable trip count"));
cl::opt<bool> ClElideBlockSafepoints("stmc-elide-block-safepoints", cl::init(true), cl::Hidden,
    cl::desc("No safe point on loops inside an atomic block of the same function (a safe "
             "point does nothing while an atomic block runs)"));
cl::opt<bool> ClLoopOnce("stmc-loop-once", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-elide-loop-invariant: a loop-invariant barrier that cannot be hoisted "
             "without speculation runs once per loop entry (flag-guarded)"));
cl::opt<bool> ClElideImmutable("stmc-elide-immutable", cl::init(true), cl::Hidden,
    cl::desc("No read barrier for loads of stm_immutable fields"));
cl::opt<bool> ClCheckImmutableWrites("stmc-check-immutable-writes", cl::init(true), cl::Hidden,
    cl::desc("Stores to stm_immutable fields call _stm_write_immutable (checked under "
             "STM_DEBUG=1) instead of getting the inline write barrier"));
cl::opt<bool> ClInlineAppend("stmc-inline-append", cl::init(true), cl::Hidden,
    cl::desc("A write barrier for an access inside one granule records the granule in the "
             "write set itself when the runtime allows it (WS_N < WS_LIM, the page private), "
             "instead of calling _stm_write_slow"));
cl::opt<bool> ClSafepoints("stmc-safepoints", cl::init(true), cl::Hidden,
    cl::desc("Insert a safe point on every loop back-edge"));
cl::opt<bool> ClSyncAtomics(
    "stmc-sync-atomics", cl::init(true), cl::Hidden,
    cl::desc("End the implicit transaction at atomic operations and fences outside atomic "
             "blocks (_stm_sync; false: they order nothing against heap accesses made "
             "outside blocks)"));
cl::opt<bool> ClPureBoundaryCheck(
    "stmc-pure-boundary-check", cl::init(true), cl::Hidden,
    cl::desc("Treat a call to an STM_PURE or memory(none) function as a transaction boundary "
             "unless the callee is a C library function or a loop-free function of this "
             "module that calls no such function (false: the old rule, always no boundary; "
             "unsafe outside atomic blocks)"));
cl::opt<bool> ClElideSafepointQuiet("stmc-elide-quiet-loop-safepoints", cl::init(true), cl::Hidden,
    cl::desc("No safe point on loops that cannot wait for another thread: no calls, no STM "
             "heap access, no atomic or volatile access (their termination depends on no "
             "other thread, so the implicit transaction reaches its next safe point anyway)"));
cl::opt<bool> ClWrapExternal("stmc-wrap-external", cl::init(true), cl::Hidden,
    cl::desc("Wrap calls to library/blocking/STM_EXTERNAL functions in "
             "_stm_external_enter/_stm_external_leave"));
cl::opt<bool> ClSystemHeaders("stmc-system-headers", cl::init(true), cl::Hidden,
    cl::desc("Functions declared or defined inline in system headers (the clang plugin's "
             "table) are C library functions: their calls are external calls and may not take "
             "heap pointers (false: only TargetLibraryInfo's and the blocking list's names)"));
cl::opt<bool> ClPromote("stmc-promote-allocas", cl::init(true), cl::Hidden,
    cl::desc("Run mem2reg on non-optnone functions before instrumenting (lets the "
             "elisions see through the frontend's allocas)"));
cl::opt<bool> ClRestoreLocals("stmc-restore-locals", cl::init(true), cl::Hidden,
    cl::desc("At an atomic block's retry, restore the locals it may have changed to their "
             "values at the block's entry (=0: they keep what the aborted attempt left)"));
cl::opt<bool> ClRestoreVolatileMembers("stmc-restore-volatile-members", cl::init(true),
    cl::Hidden,
    cl::desc("At an atomic block's retry, restore a local with volatile and plain members "
             "member-wise: its volatile members keep what the aborted attempt left (=0: the "
             "whole local is restored, volatile members too)"));
cl::opt<unsigned> ClRestoreLocalsMax("stmc-restore-locals-max", cl::init(256), cl::Hidden,
    cl::desc("The largest local (bytes) restored at an atomic block's retry; larger ones are "
             "kept, with a warning"));
cl::opt<bool> ClPromoteBlockLocals("stmc-promote-block-locals", cl::init(true), cl::Hidden,
    cl::desc("In a function with an atomic block, mem2reg also the locals that "
             "-stmc-keep-locals left non-volatile (the pipeline's SROA promotes them a moment "
             "later anyway), so that the elisions and range barriers see SSA values"));
cl::opt<bool> ClKeepLocals("stmc-keep-locals", cl::init(true), cl::Hidden,
    cl::desc("In functions with an atomic block (setjmp), make the loads and stores of locals "
             "that a retry may change and then read volatile, so that no later pass keeps "
             "them in registers (which the abort's longjmp restores to their setjmp-time "
             "values)"));
cl::opt<bool> ClOutlineLoops("stmc-outline-loops", cl::init(true), cl::Hidden,
    cl::desc("In functions with an atomic block (setjmp), keep calls to functions that contain "
             "a loop out of line (noinline call sites): code in a function that calls setjmp "
             "is register-allocated worse"));
cl::opt<bool> ClFlatLoops("stmc-flat-loops", cl::init(true), cl::Hidden,
    cl::desc("In loops without calls, load from the heap through the segment's flat address "
             "(its base loaded once before the loop) instead of through %gs: a %gs-relative "
             "load reaches its user later, which a pointer chase pays at every step"));
cl::opt<bool> ClEarlyCSE("stmc-early-cse", cl::init(true), cl::Hidden,
    cl::desc("Run EarlyCSE on non-optnone functions (without setjmp) before instrumenting"));
cl::opt<bool> ClSimplifyCFG("stmc-simplify-cfg", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-early-cse: run SimplifyCFG first, so that a load guarded by a "
             "short-circuit condition (while (n && n->key != k)) dominates its repeats"));
cl::opt<bool> ClSyncRelaxed("stmc-skip-relaxed-sync", cl::init(true), cl::Hidden,
    cl::desc("With -stmc-sync-atomics: no _stm_sync at relaxed atomic operations on plain "
             "memory (they order nothing between threads)"));
cl::opt<unsigned> ClScalarizeMem("stmc-scalarize-mem", cl::init(64), cl::Hidden,
    cl::desc("A memcpy, memmove or memset of at most this many (constant) bytes that touches "
             "the STM heap becomes loads and stores, which get inline barriers, instead of a "
             "runtime call (0: every one is a call)"));
cl::opt<bool> ClReport("stmc-report", cl::init(false), cl::Hidden,
    cl::desc("Print a per-module report of instrumented and elided accesses to stderr"));

constexpr unsigned HeapAS = 256;
constexpr uint64_t MaxInlineBarrierSize = 64; // larger accesses call the slow path directly

bool isHeapPtrTy(Type *T) {
  return T->isPointerTy() && T->getPointerAddressSpace() == HeapAS;
}

// A call that may read or write memory with a heap pointer (or a vector of them) among its
// operands.
bool accessesHeapArg(const CallBase *CB) {
  return CB->mayReadOrWriteMemory() && any_of(CB->args(), [](const Use &A) {
           return isHeapPtrTy(A->getType()->getScalarType());
         });
}

// llvm.masked.load/store/expandload/compressstore on a heap pointer: an access of the whole
// vector (Ty) at Ptr, instrumented as a load or store of that size.
bool maskedHeapAccess(IntrinsicInst *II, Value *&Ptr, Type *&Ty) {
  switch (II->getIntrinsicID()) {
  case Intrinsic::masked_load:
  case Intrinsic::masked_expandload:
    Ptr = II->getArgOperand(0);
    Ty = II->getType();
    break;
  case Intrinsic::masked_store:
  case Intrinsic::masked_compressstore:
    Ptr = II->getArgOperand(1);
    Ty = II->getArgOperand(0)->getType();
    break;
  default:
    return false;
  }
  if (isHeapPtrTy(Ptr->getType()))
    return true;
  Ptr = nullptr;
  Ty = nullptr;
  return false;
}

// Any other intrinsic that may access memory with a heap pointer (or a vector of them) among
// its operands: it would get no barrier (llvm.masked.gather, llvm.matrix.column.major.load,
// which is lowered after the pass), or the backend ignores the address space and addresses
// the offset as a plain pointer (x86's gather/scatter and xsave builtins: a fault, or another
// mapping's memory).  The memcpy family is lowered by the pass; lifetime markers, prefetch,
// the invariant and annotation intrinsics access nothing.
bool untrackedHeapIntrinsic(IntrinsicInst *II) {
  switch (II->getIntrinsicID()) {
  case Intrinsic::memcpy:
  case Intrinsic::memcpy_inline:
  case Intrinsic::memmove:
  case Intrinsic::memset:
  case Intrinsic::memset_inline:
  case Intrinsic::lifetime_start:
  case Intrinsic::lifetime_end:
  case Intrinsic::prefetch:
  case Intrinsic::invariant_start:
  case Intrinsic::invariant_end:
  case Intrinsic::launder_invariant_group:
  case Intrinsic::strip_invariant_group:
  case Intrinsic::var_annotation:
  case Intrinsic::ptr_annotation:
  case Intrinsic::objectsize:
    return false;
  default:
    break;
  }
  return !II->onlyAccessesInaccessibleMemory() && accessesHeapArg(II);
}

// An atomic operation or fence that orders memory between threads: the points where the
// implicit transaction ends outside atomic blocks (syncAtomics; _stm_sync).  Signal fences
// (singlethread scope) and unordered accesses order nothing between threads, and neither does
// a relaxed (monotonic) operation on plain memory: it releases and acquires nothing, so the
// heap writes before it need not be published first (an interpreter's relaxed poll of a flag
// at every bytecode, in a block, paid an out-of-line call each time: 2x a tight loop).  A
// relaxed one on the heap still ends the transaction after it, which publishes it.  OnHeap:
// the operation is on the STM heap (the transaction ends after it, else before).
bool isSyncPoint(const Instruction &I, bool &OnHeap, bool *SkippedRelaxed = nullptr) {
  const Value *Ptr = nullptr;
  bool Relaxed = false;
  if (const auto *LI = dyn_cast<LoadInst>(&I)) {
    if (!LI->isAtomic() || LI->getOrdering() == AtomicOrdering::Unordered ||
        LI->getSyncScopeID() == SyncScope::SingleThread)
      return false;
    Ptr = LI->getPointerOperand();
    Relaxed = LI->getOrdering() == AtomicOrdering::Monotonic;
  } else if (const auto *SI = dyn_cast<StoreInst>(&I)) {
    if (!SI->isAtomic() || SI->getOrdering() == AtomicOrdering::Unordered ||
        SI->getSyncScopeID() == SyncScope::SingleThread)
      return false;
    Ptr = SI->getPointerOperand();
    Relaxed = SI->getOrdering() == AtomicOrdering::Monotonic;
  } else if (const auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    if (RMW->getSyncScopeID() == SyncScope::SingleThread)
      return false;
    Ptr = RMW->getPointerOperand();
    Relaxed = RMW->getOrdering() == AtomicOrdering::Monotonic;
  } else if (const auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
    if (CX->getSyncScopeID() == SyncScope::SingleThread)
      return false;
    Ptr = CX->getPointerOperand();
    Relaxed = CX->getSuccessOrdering() == AtomicOrdering::Monotonic &&
              CX->getFailureOrdering() == AtomicOrdering::Monotonic;
  } else if (const auto *FI = dyn_cast<FenceInst>(&I)) {
    if (FI->getSyncScopeID() == SyncScope::SingleThread)
      return false;
  } else {
    return false;
  }
  OnHeap = Ptr && isHeapPtrTy(Ptr->getType());
  if (Relaxed && !OnHeap && ClSyncRelaxed) {
    if (SkippedRelaxed)
      *SkippedRelaxed = true;
    return false;
  }
  return true;
}

// ---- per-module counters, for -stmc-report ---------------------------------------------------
struct Counters {
  unsigned Loads = 0, Stores = 0, RMW = 0, Intrinsics = 0, IntrinsicsLate = 0, Safepoints = 0,
           External = 0, Casts = 0, ElideSame = 0, ElideRAW = 0, ElideRBW = 0, ElideFresh = 0,
           ElideImmutable = 0, ElideHoisted = 0, HoistedBarriers = 0, OnceBarriers = 0,
           SafepointsElided = 0, ImmutableStores = 0, SharedRV = 0, ROClones = 0,
           ROReads = 0, RODispatched = 0, KeptLocals = 0, OutlinedCalls = 0, AtomicSyncs = 0,
           RelaxedNoSync = 0, ScalarizedMem = 0, MemoryPromisesDropped = 0, RestoredLocals = 0,
           VolatileMembersKept = 0, ElideRanged = 0, RangeBarriers = 0, StridedRanges = 0,
           RuntimeStrides = 0, InvariantRanges = 0, ExternalWaits = 0, LoopLocalRegisters = 0,
           HoistedPastStores = 0,
           WriteRanges = 0, CallbackReturns = 0, BlockSafepointsElided = 0,
           HoistedBlockLoads = 0, HoistedPlainLoads = 0, ShortLoopCopies = 0;
};

// ---- diagnostics: a plugin diagnostic kind; the message carries file:line:col -------------
int getStmcDiagKind() {
  static int Kind = getNextAvailablePluginDiagnosticKind();
  return Kind;
}

class StmcDiagnostic : public DiagnosticInfo {
  std::string Msg;

public:
  StmcDiagnostic(DiagnosticSeverity Sev, std::string M)
      : DiagnosticInfo(getStmcDiagKind(), Sev), Msg(std::move(M)) {}
  void print(DiagnosticPrinter &DP) const override { DP << Msg; }
};

std::string locationOf(const Instruction *I) {
  std::string S;
  raw_string_ostream OS(S);
  if (const DILocation *L = I->getDebugLoc().get()) {
    OS << L->getFilename() << ":" << L->getLine() << ":" << L->getColumn();
  } else {
    const Function *F = I->getFunction();
    OS << "in function '" << (F ? F->getName() : StringRef("?")) << "'";
    const Module *M = F ? F->getParent() : nullptr;
    if (M)
      OS << " (" << M->getSourceFileName() << ")";
  }
  return OS.str();
}

// Each diagnostic once per context: the same source access can appear several times in the
// IR (a function and its read-only clone, an atomic load and the cmpxchg of one `+=`).
static bool firstTime(LLVMContext &C, const std::string &Key) {
  static std::set<std::pair<const LLVMContext *, std::string>> Said;
  return Said.insert({&C, Key}).second;
}

// The text of every stmc diagnostic.
static std::string stmcText(const Twine &What, const Twine &Hint) {
  return "stmc: " + What.str() + " (hint: " + Hint.str() + ")";
}

// Where no instruction gives a source position (a global variable): the position leads the
// text of a plugin diagnostic (clang: `warning: file:line: stmc: ... [-Wbackend-plugin]`).
void diagnose(LLVMContext &C, DiagnosticSeverity Sev, const std::string &Where,
              const Twine &What, const Twine &Hint) {
  std::string Msg = Where + ": " + stmcText(What, Hint);
  if (firstTime(C, Msg))
    C.diagnose(StmcDiagnostic(Sev, Msg));
}

// A warning with the position of an instruction, that clang reports as its own at that
// position (`file:line:col: warning: stmc: ...`, the source line and a caret; SARIF and
// `#pragma clang diagnostic` see it): an optimization-failure diagnostic, clang's group
// -Wpass-failed, shown as [-Wpass-failed=stmc].
class StmcWarningAt : public DiagnosticInfoOptimizationFailure {
public:
  StmcWarningAt(const Instruction &I, const Twine &Msg)
      : DiagnosticInfoOptimizationFailure("stmc", "stmc", DiagnosticLocation(I.getDebugLoc()),
                                          I.getParent()) {
    *this << Msg.str();
  }
};

// An error with the position of an instruction: clang's "unsupported" diagnostic, reported at
// that position.  Printed by itself (IR input, which clang prints through print()) as the
// pass's other diagnostics are: the position, then the text (LLVM's own print adds the
// function's name and type, and an empty line).
class StmcErrorAt : public DiagnosticInfoUnsupported {
public:
  StmcErrorAt(const Instruction &I, const Twine &Msg)
      : DiagnosticInfoUnsupported(*I.getFunction(), Msg, I.getDebugLoc(), DS_Error) {}
  void print(DiagnosticPrinter &DP) const override {
    DP << getLocationStr() << ": " << getMessage();
  }
};

// A diagnostic about instruction At: with a source position (the frontend always turns on
// location tracking), an error is clang's "unsupported" diagnostic and a warning the one
// above, both at that position; without one (IR compiled by hand), the function and file
// lead the text of a plugin diagnostic.
void diagnoseAt(DiagnosticSeverity Sev, const Instruction *At, const Twine &What,
                const Twine &Hint) {
  LLVMContext &C = At->getContext();
  const DILocation *L = At->getDebugLoc().get();
  if (!L || !At->getFunction()) {
    diagnose(C, Sev, locationOf(At), What, Hint);
    return;
  }
  std::string Msg = stmcText(What, Hint);
  if (!firstTime(C, locationOf(At) + ": " + Msg))
    return;
  if (Sev == DS_Error)
    C.diagnose(StmcErrorAt(*At, Msg));
  else
    C.diagnose(StmcWarningAt(*At, Msg));
}

// The hint of the warnings about heap data handed to code stmc did not compile.
const char *const CopyOutHint =
    "copy the data to plain memory first (memcpy from the STM_HEAP pointer is instrumented)";
// The hint of the errors about _Atomic heap data that is not lock-free.
const char *const DropAtomicHint =
    "drop _Atomic from heap data: atomic blocks already make its accesses atomic";

// The printf-style conversion that consumes variadic argument Idx (0 = the first after the
// format), or 0 if Fmt does not say (not a format, too few conversions).
char formatConversionOf(StringRef Fmt, unsigned Idx) {
  unsigned Arg = 0;
  for (size_t I = 0; I < Fmt.size(); ++I) {
    if (Fmt[I] != '%')
      continue;
    if (++I < Fmt.size() && Fmt[I] == '%')
      continue;
    // %n$ positions: not followed
    while (I < Fmt.size() && StringRef("-+ #0'").contains(Fmt[I]))
      ++I;
    for (int Part = 0; Part < 2; ++Part) { // width, then .precision
      if (Part == 1) {
        if (I >= Fmt.size() || Fmt[I] != '.')
          break;
        ++I;
      }
      if (I < Fmt.size() && Fmt[I] == '*') {
        if (Arg++ == Idx)
          return '*';
        ++I;
      }
      while (I < Fmt.size() && isdigit((unsigned char)Fmt[I]))
        ++I;
    }
    while (I < Fmt.size() && StringRef("hljztLq").contains(Fmt[I]))
      ++I;
    if (I >= Fmt.size())
      return 0;
    if (Fmt[I] == 'm')
      continue; // glibc's %m (strerror(errno)) takes no argument
    if (Arg++ == Idx)
      return Fmt[I];
  }
  return 0;
}

// ---- the runtime ABI: declarations built from include/stmc/abi.def ---------------------------
enum AbiId {
#define STMC_ABI_FN(name, ret, n, ...) Abi_##name,
#include "stmc/abi.def"
#undef STMC_ABI_FN
  Abi_Count
};

// Everything the instrumentation and the late lowering share: types, ABI declarations, site
// records, the barriers' alias scope.
class AbiContext {
public:
  Module &M;
  LLVMContext &C;
  const DataLayout &DL;
  Type *VoidTy;
  IntegerType *I8Ty, *I32Ty, *I64Ty;
  PointerType *PtrTy, *HeapPtrTy;
  StructType *SiteTy;
  FunctionCallee Abi[Abi_Count];
  MDNode *InternalMD;
  // Alias scopes of the barrier metadata: the segment header (RV, WV, YIELD, BASE: constant
  // %gs offsets in the header page) and the markers (at addr >> 4 and STMC_WMARK_OFF + (addr >> 4),
  // >= 64 MiB for every heap address) never overlap each other or user heap data, so user accesses
  // are !noalias against both and each metadata access against the other scope.  That lets GVN
  // reuse one RV/WV load across the barriers of a call-free stretch of code.
  // The write set's bookkeeping (WS_N, WS_LIM, WS_VOFF, WRITES_INLINE and the array, which
  // only the inline append and the runtime touch) has a scope of its own: its stores must not
  // make the optimizer load WV or RV again.
  MDNode *MetaScopeList = nullptr; // {header, markers, write set}: the !noalias of user accesses
  MDNode *HdrScope = nullptr, *MarkScope = nullptr, *WsScope = nullptr;

  explicit AbiContext(Module &Mod)
      : M(Mod), C(Mod.getContext()), DL(Mod.getDataLayout()) {
    VoidTy = Type::getVoidTy(C);
    I8Ty = Type::getInt8Ty(C);
    I32Ty = Type::getInt32Ty(C);
    I64Ty = Type::getInt64Ty(C);
    PtrTy = PointerType::get(C, 0);
    HeapPtrTy = PointerType::get(C, HeapAS);
    SiteTy = StructType::get(C, {PtrTy, I32Ty, I32Ty});
    InternalMD = MDNode::get(C, {});

    Type *STMC_TY_VOID = VoidTy, *STMC_TY_U8 = I8Ty, *STMC_TY_U32 = I32Ty,
         *STMC_TY_U64 = I64Ty, *STMC_TY_PTR = PtrTy, *STMC_TY_SITE = PtrTy;
#define STMC_TYS_1(a) STMC_TY_##a
#define STMC_TYS_2(a, b) STMC_TY_##a, STMC_TY_##b
#define STMC_TYS_3(a, b, c) STMC_TY_##a, STMC_TY_##b, STMC_TY_##c
#define STMC_TYS_4(a, b, c, d) STMC_TY_##a, STMC_TY_##b, STMC_TY_##c, STMC_TY_##d
#define STMC_TYS_5(a, b, c, d, e) STMC_TY_##a, STMC_TY_##b, STMC_TY_##c, STMC_TY_##d, STMC_TY_##e
#define STMC_ABI_FN(name, ret, n, ...)                                                         \
  Abi[Abi_##name] = declare(#name, FunctionType::get(STMC_TY_##ret, {STMC_TYS_##n(__VA_ARGS__)}, false));
#include "stmc/abi.def"
#undef STMC_ABI_FN
#undef STMC_TYS_1
#undef STMC_TYS_2
#undef STMC_TYS_3
#undef STMC_TYS_4
#undef STMC_TYS_5
    (void)STMC_TY_U8;
    (void)STMC_TY_U32;
    (void)STMC_TY_U64;
    (void)STMC_TY_PTR;
    (void)STMC_TY_SITE;
    (void)STMC_TY_VOID;
  }

  FunctionCallee declare(StringRef Name, FunctionType *FT) {
    FunctionCallee FC = M.getOrInsertFunction(Name, FT);
    if (auto *F = dyn_cast<Function>(FC.getCallee())) {
      F->addFnAttr(Attribute::NoUnwind);
      if (Name.contains("_slow"))
        F->addFnAttr(Attribute::Cold);
    }
    return FC;
  }

  // One private constant {file, line, col} per source position.
  Constant *site(const Instruction *I) {
    StringRef File = "?";
    unsigned Line = 0, Col = 0;
    if (const DILocation *L = I && stmc::SiteLocations ? I->getDebugLoc().get() : nullptr) {
      File = L->getFilename();
      Line = L->getLine();
      Col = L->getColumn();
      if (File.empty())
        File = "?";
    }
    auto Key = std::make_tuple(File.str(), Line, Col);
    auto It = Sites.find(Key);
    if (It != Sites.end())
      return It->second;
    Constant *&FileStr = FileStrings[File.str()];
    if (!FileStr) {
      Constant *Init = ConstantDataArray::getString(C, File);
      auto *GV = new GlobalVariable(M, Init->getType(), true, GlobalValue::PrivateLinkage,
                                    Init, ".stmc.file");
      GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
      GV->setAlignment(Align(1));
      FileStr = GV;
    }
    Constant *Init = ConstantStruct::get(
        SiteTy, {FileStr, ConstantInt::get(I32Ty, Line), ConstantInt::get(I32Ty, Col)});
    auto *GV = new GlobalVariable(M, SiteTy, true, GlobalValue::PrivateLinkage, Init,
                                  ".stmc.site");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(8));
    Sites[Key] = GV;
    return GV;
  }

  Constant *gsAddr(uint64_t Off) {
    return ConstantExpr::getIntToPtr(ConstantInt::get(I64Ty, Off), HeapPtrTy);
  }

  template <typename T> T *tag(T *I, bool Ws = false) {
    I->setMetadata("stmc.internal", InternalMD);
    if (HdrScope) {
      bool Hdr = isa<Constant>(getLoadStorePointerOperand(I)); // gsAddr(STMC_HDR_*)
      MDNode *Own = Ws ? WsScope : Hdr ? HdrScope : MarkScope;
      SmallVector<Metadata *, 2> Others;
      for (MDNode *S : {HdrScope, MarkScope, WsScope})
        if (S != Own)
          Others.push_back(S);
      I->setMetadata(LLVMContext::MD_alias_scope, MDNode::get(C, {Own}));
      I->setMetadata(LLVMContext::MD_noalias, MDNode::get(C, Others));
    }
    return I;
  }

  LoadInst *loadMeta(IRBuilder<> &B, Type *Ty, Value *Addr, const Twine &Name,
                     bool Ws = false) {
    return tag(B.CreateAlignedLoad(Ty, Addr, Align(DL.getTypeStoreSize(Ty).getFixedValue()),
                                   Name),
               Ws);
  }

  CallInst *callAbi(IRBuilder<> &B, AbiId Id, ArrayRef<Value *> Args) {
    CallInst *CI = B.CreateCall(Abi[Id], Args);
    CI->setMetadata("stmc.internal", InternalMD);
    if (Id == Abi__stm_read_slow || Id == Abi__stm_write_slow || Id == Abi__stm_write_again ||
        Id == Abi__stm_safepoint_slow || Id == Abi__stm_heap_from_flat)
      CI->addFnAttr(Attribute::Cold);
    return CI;
  }

  // Replaces an address-space-256 memory intrinsic with its runtime call.  Returns false when
  // the intrinsic does not touch the STM heap.
  bool lowerMemIntrinsic(CallInst *CI) {
    Function *Callee = CI->getCalledFunction();
    if (!Callee)
      return false;
    Intrinsic::ID IID = Callee->getIntrinsicID();
    bool IsSet = IID == Intrinsic::memset || IID == Intrinsic::memset_inline;
    bool IsCpy = IID == Intrinsic::memcpy || IID == Intrinsic::memcpy_inline;
    bool IsMove = IID == Intrinsic::memmove;
    if (!IsSet && !IsCpy && !IsMove)
      return false;
    Value *Dst = CI->getArgOperand(0);
    Value *Len = CI->getArgOperand(2);
    bool DstHeap = isHeapPtrTy(Dst->getType());
    IRBuilder<> B(CI);
    Value *Len64 = B.CreateZExtOrTrunc(Len, I64Ty);
    Constant *Site = site(CI);
    if (IsSet) {
      if (!DstHeap)
        return false;
      Value *Val = B.CreateZExtOrTrunc(CI->getArgOperand(1), I8Ty);
      callAbi(B, Abi__stm_memset_h, {B.CreatePtrToInt(Dst, I64Ty), Val, Len64, Site});
    } else {
      Value *Src = CI->getArgOperand(1);
      bool SrcHeap = isHeapPtrTy(Src->getType());
      if (!DstHeap && !SrcHeap)
        return false;
      AbiId Id;
      SmallVector<Value *, 4> Args;
      Value *D = DstHeap ? B.CreatePtrToInt(Dst, I64Ty) : B.CreateAddrSpaceCast(Dst, PtrTy);
      Value *S = SrcHeap ? B.CreatePtrToInt(Src, I64Ty) : B.CreateAddrSpaceCast(Src, PtrTy);
      if (DstHeap && SrcHeap)
        Id = IsCpy ? Abi__stm_memcpy_hh : Abi__stm_memmove_hh;
      else if (DstHeap)
        Id = IsCpy ? Abi__stm_memcpy_hf : Abi__stm_memmove_hf;
      else
        Id = IsCpy ? Abi__stm_memcpy_fh : Abi__stm_memmove_fh;
      callAbi(B, Id, {D, S, Len64, Site});
    }
    CI->eraseFromParent();
    return true;
  }

  // Keeps the ABI version symbol alive in every instrumented module: linking against a runtime
  // of another ABI fails.
  void referenceAbiVersion() {
    GlobalVariable *GV = M.getGlobalVariable(STMC_ABI_VERSION_SYMBOL);
    if (!GV) {
      GV = new GlobalVariable(M, I32Ty, true, GlobalValue::ExternalLinkage, nullptr,
                              STMC_ABI_VERSION_SYMBOL);
    }
    // A declaration in llvm.compiler.used emits no symbol reference: keep a private pointer
    // to it alive instead, whose relocation makes the object file refer to the symbol.
    if (M.getGlobalVariable(".stmc.abi_ref", true))
      return;
    auto *Ref = new GlobalVariable(M, PtrTy, true, GlobalValue::PrivateLinkage, GV,
                                   ".stmc.abi_ref");
    appendToCompilerUsed(M, {Ref});
  }

private:
  std::map<std::tuple<std::string, unsigned, unsigned>, Constant *> Sites;
  std::map<std::string, Constant *> FileStrings;
};

// ---- which calls are what ------------------------------------------------------------------

// Library functions that neither block nor do I/O and only touch flat memory: calling them
// inside a transaction is harmless, so they are neither wrapped nor treated as boundaries.
const char *const PureLibFunctions[] = {
    // math
    "sqrt", "sqrtf", "sqrtl", "sin", "sinf", "sinl", "cos", "cosf", "cosl", "tan", "tanf",
    "asin", "acos", "atan", "atan2", "atan2f", "sinh", "cosh", "tanh", "exp", "expf", "exp2",
    "exp2f", "expm1", "log", "logf", "log2", "log2f", "log10", "log10f", "log1p", "pow", "powf",
    "powl", "cbrt", "hypot", "fabs", "fabsf", "fabsl", "floor", "floorf", "ceil", "ceilf",
    "round", "roundf", "lround", "llround", "trunc", "truncf", "rint", "nearbyint", "fmod",
    "fmodf", "fmin", "fminf", "fmax", "fmaxf", "fma", "fmaf", "copysign", "copysignf", "ldexp",
    "frexp", "modf", "abs", "labs", "llabs",
    // memory and strings (flat memory only)
    "memcpy", "memmove", "memset", "memcmp", "memchr", "bcmp", "bzero", "strlen", "strnlen",
    "strcmp", "strncmp", "strcpy", "strncpy", "strcat", "strncat", "strchr", "strrchr",
    "strstr", "strspn", "strcspn", "strpbrk", "stpcpy",
    // character classes and conversions
    "isalpha", "isdigit", "isalnum", "isspace", "isupper", "islower", "isxdigit", "ispunct",
    "isprint", "toupper", "tolower", "atoi", "atol", "atoll", "strtol", "strtoul", "strtoll",
    "strtoull", "strtod", "strtof",
    "strtok_r", "strsep", "strchrnul", "memrchr", "rawmemchr", "memmem", "strcasecmp",
    "strncasecmp", "strcasestr", "div", "ldiv", "lldiv", "index", "rindex", "strverscmp",
    "strtoimax", "strtoumax", "strtold", "wcslen", "wcsnlen", "wcscmp", "wcsncmp", "wcschr",
    "wcsrchr", "wcscpy", "wcsncpy", "wmemcpy", "wmemmove", "wmemset", "wmemcmp", "wcstol",
    "wcstoul", "wcstod", "towlower", "towupper", "iswalpha", "iswdigit", "iswspace",
    "iswalnum", "iswupper", "iswlower", "iswpunct", "iswprint", "btowc", "wctob",
    "isblank", "iscntrl", "isgraph", "isascii", "atof", "feof_unlocked", "ferror_unlocked",
    "mempcpy",
    // _FORTIFY_SOURCE's checked versions of the flat-memory functions above
    "__memcpy_chk", "__memmove_chk", "__memset_chk", "__mempcpy_chk", "__strcpy_chk",
    "__stpcpy_chk", "__strncpy_chk", "__strcat_chk", "__strncat_chk",
    // more of libm (each with its f and l forms where it has them)
    "lrint", "lrintf", "lrintl", "llrint", "llrintf", "llrintl", "lroundf", "lroundl",
    "llroundf", "llroundl", "rintf", "rintl", "nearbyintf", "nearbyintl", "roundl", "truncl",
    "floorl", "ceill", "ilogb", "ilogbf", "logb", "logbf", "scalbn", "scalbnf", "scalbln",
    "nextafter", "nextafterf", "nexttoward", "fdim", "fdimf", "hypotf", "hypotl", "erf", "erff",
    "erfc", "erfcf", "exp10", "exp10f", "lgamma", "lgammaf", "tgamma", "tgammaf", "sincos",
    "sincosf", "significand", "remainder", "remainderf", "remquo", "fmal", "fminl", "fmaxl",
    "tanf", "tanl", "asinf", "acosf", "atanf", "sinhf", "coshf", "tanhf", "asinh", "acosh",
    "atanh", "cbrtf", "expm1f", "log1pf", "ldexpf", "frexpf", "modff", "j0", "j1", "jn", "y0",
    "y1", "yn",
    // clocks, ids and random numbers (declared in system headers, so external calls otherwise:
    // a block that calls one would become inevitable)
    "clock_gettime", "clock_getres", "clock", "time", "timespec_get", "gmtime_r", "timegm",
    "gettimeofday", "getpid", "getppid", "gettid", "sched_getcpu", "__sched_cpucount", "rand",
    "random", "rand_r", "srand", "srandom", "drand48", "erand48", "lrand48", "nrand48",
    "mrand48", "jrand48", "srand48",
    // pthread_cleanup_pop's bookkeeping (the thread's list of cleanup buffers).  Not the push's
    // __pthread_register_cancel: a block aborted between push and pop restarted without
    // unregistering, so the list kept a buffer of a dead frame and pthread_exit jumped into it
    // (SIGSEGV); as an external call it makes the block inevitable, and it cannot abort after
    // it.
    "__pthread_unregister_cancel",
    // the OpenMP runtime's thread number (a thread-local read; called at the start of every
    // outlined parallel region and before most other __kmpc_ calls)
    "__kmpc_global_thread_num"};

// Declared in system headers, but no external call: setjmp returns twice (wrapping it would
// leave a second return without the enter, and make every block that sets an error handler
// inevitable), and longjmp is the runtime's own (interposed) and may stay in a block.
const char *const NotExternalSystemFunctions[] = {
    "setjmp", "_setjmp", "sigsetjmp", "__sigsetjmp", "longjmp", "_longjmp", "siglongjmp",
    "__longjmp_chk"};

// Blocking or system functions TargetLibraryInfo does not know.  The OpenMP runtime's entry
// points (`__kmpc_`, `__tgt_`) are declared by clang's code generation, not in a header: taken
// for functions compiled by stmc, a thread waited in `__kmpc_barrier` or `__kmpc_critical`
// holding the implicit transaction's token, which the others needed (a review: 200 ms a
// parallel region, a hang with OMP_WAIT_POLICY=active), and `omp critical` in an atomic block
// took its lock in a read-only attempt whose first write rolled it back: the retry waited for
// the lock it held.
const char *const BlockingPrefixes[] = {"pthread_", "sem_",    "mtx_",   "cnd_",
                                        "thrd_",    "epoll_", "__kmpc_", "__tgt_"};
const char *const BlockingFunctions[] = {
    "sleep", "usleep", "nanosleep", "clock_nanosleep", "sched_yield", "syscall", "poll",
    "ppoll", "select", "pselect", "pause", "wait", "waitpid", "accept", "accept4", "connect",
    "recv", "recvfrom", "recvmsg", "send", "sendto", "sendmsg", "futex", "sigwait",
    "sigsuspend", "flock", "lockf", "system", "getchar", "abort", "exit", "_exit"};
// External calls that wait for other threads: wrapped with _stm_external_wait, which gives the
// segment back at once when a thread waits for one (an OpenMP team larger than the segments
// hung: threads that held segments waited in libomp's critical section, a futex, for one that
// had none).  Prefixes; also the returns of foreign callbacks (into libomp's join barrier).
// (__kmpc_cancel_barrier: a region with a `cancel` construct has it for its barriers, and a
// review's team larger than the segments hung there.)
const char *const WaitingPrefixes[] = {
    "__kmpc_barrier", "__kmpc_cancel_barrier", "__kmpc_critical", "__kmpc_ordered",
    "__kmpc_reduce", "__kmpc_end_reduce", "__kmpc_omp_taskwait", "__kmpc_omp_wait_deps",
    "__kmpc_omp_taskyield", "__kmpc_end_taskgroup", "__kmpc_fork_", "__kmpc_set_lock",
    "__kmpc_set_nest_lock", "__kmpc_doacross_wait", "__tgt_target", "omp_set_lock",
    "omp_set_nest_lock"};
const char *const NonBlockingPthread[] = {"pthread_self", "pthread_equal",
                                          "pthread_getspecific", "thrd_current", "thrd_equal"};

// A local's access as keepLocalsAcrossRetry collects them (a load, a store, a memory
// intrinsic) is volatile.
static bool isVolatileMemOp(Instruction *I) {
  if (auto *LI = dyn_cast<LoadInst>(I))
    return LI->isVolatile();
  if (auto *SI = dyn_cast<StoreInst>(I))
    return SI->isVolatile();
  return cast<MemIntrinsic>(I)->isVolatile();
}

// ScalarEvolution over a function as it is now, with what it needs, and an expander whose new
// values are named Name (the range and the guarded-load analyses each make their own: the IR
// changes between them).
struct ScevKit {
  TargetLibraryInfoImpl TLII;
  TargetLibraryInfo TLI;
  AssumptionCache AC;
  ScalarEvolution SE;
  SCEVExpander Exp;
  ScevKit(Function &F, const DataLayout &DL, DominatorTree &DT, LoopInfo &LI, const char *Name)
      : TLII(Triple(F.getParent()->getTargetTriple())), TLI(TLII, &F), AC(F),
        SE(F, TLI, AC, DT, LI),
#if LLVM_VERSION_MAJOR >= 22
        Exp(SE, Name) {
    (void)DL;
  }
#else
        Exp(SE, DL, Name) {
  }
#endif
};

// Alias analysis over a function, as the pipeline would have it at this point: BasicAA and
// clang's type-based one (hoistInvariantLoads; made in place, since AA refers to the
// others).
struct AliasKit {
  TargetLibraryInfoImpl TLII;
  TargetLibraryInfo TLI;
  AssumptionCache AC;
  BasicAAResult Basic;
  TypeBasedAAResult TBAA;
  AAResults AA;
  AliasKit(Function &F, DominatorTree &DT)
      : TLII(Triple(F.getParent()->getTargetTriple())), TLI(TLII, &F), AC(F),
        Basic(F.getDataLayout(), F, TLI, AC, &DT),
#if LLVM_VERSION_MAJOR >= 20
        TBAA(false),
#endif
        AA(TLI) {
    AA.addAAResult(Basic);
    AA.addAAResult(TBAA);
  }
};

// One encoding of a declaration's !callback metadata (clang's `__attribute__((callback))`,
// its own for __kmpc_fork_call): the argument that is the callee, the arguments handed on to
// it (-1: one the callee gets from elsewhere), and whether the variadic arguments follow.
struct CallbackEncoding {
  unsigned Callee;
  SmallVector<int64_t, 4> Args;
  bool VarArgs;
};
static SmallVector<CallbackEncoding, 1> callbackEncodings(const Function &F) {
  SmallVector<CallbackEncoding, 1> Out;
  const MDNode *CBs = F.getMetadata(LLVMContext::MD_callback);
  for (const MDOperand &Op : CBs ? CBs->operands() : ArrayRef<MDOperand>()) {
    auto *Enc = dyn_cast<MDNode>(Op.get());
    if (!Enc || Enc->getNumOperands() < 2)
      continue;
    auto Int = [&](unsigned K) { return mdconst::dyn_extract<ConstantInt>(Enc->getOperand(K)); };
    ConstantInt *Callee = Int(0), *VA = Int(Enc->getNumOperands() - 1);
    if (!Callee || !VA)
      continue;
    CallbackEncoding E{(unsigned)Callee->getZExtValue(), {}, VA->isOne()};
    for (unsigned K = 1; K + 1 < Enc->getNumOperands(); ++K)
      if (ConstantInt *A = Int(K))
        E.Args.push_back(A->getSExtValue());
    Out.push_back(std::move(E));
  }
  return Out;
}

// The function a call calls: also where the call's type differs from the function's (a C
// library function called through a cast, `((int (*)(const char *, FILE *, int))fputs)(...)`,
// for which getCalledFunction() is null).  Such a call to the C library was taken for an
// indirect call into code stmc compiled: not made an external call, so an atomic block that
// made it was not inevitable and its retries repeated the output (a review's find).
// Through an alias too (`__attribute__((alias("f")))`): what runs is f.
static Function *calleeOf(const CallBase *CB) {
  return dyn_cast<Function>(CB->getCalledOperand()->stripPointerCastsAndAliases());
}

class CallClassifier {
public:
  CallClassifier(Module &M, FunctionAnalysisManager &FAM) : FAM(FAM) {
    for (const char *N : PureLibFunctions)
      PureNames.insert(N);
    for (const char *N : BlockingFunctions)
      BlockingNames.insert(N);
    // STM_PURE / STM_EXTERNAL: the frontend plugin maps them to annotate("stm_pure") /
    // annotate("stm_external"), which clang records in llvm.global.annotations (declarations
    // included).  Reading IR keeps this working through -save-temps and LTO.
    if (GlobalVariable *GA = M.getGlobalVariable("llvm.global.annotations")) {
      if (auto *CA = dyn_cast_or_null<ConstantArray>(GA->getInitializer())) {
        for (Value *Op : CA->operands()) {
          auto *CS = dyn_cast<ConstantStruct>(Op);
          if (!CS || CS->getNumOperands() < 2)
            continue;
          auto *F = dyn_cast<Function>(CS->getOperand(0)->stripPointerCasts());
          StringRef Str;
          if (!F || !getConstantStringInfo(CS->getOperand(1)->stripPointerCasts(), Str))
            continue;
          if (Str == "stm_pure")
            PureFns.insert(F);
          else if (Str == "stm_external")
            ExternalFns.insert(F);
        }
      }
    }
    findForeignCallbacks(M); // (after the annotations: STM_EXTERNAL decides below)
  }

  // The runtime's functions: _stm_* (the ABI's entry points and the header's internals; a
  // leading underscore reserves them to the implementation) and the public functions of
  // <stmc.h>, whose inline barriers (stm_read, stm_write, stm_safepoint) address the segment's
  // markers themselves and must not be instrumented.  Only these exact names: a program's own
  // stm_counter_add is program code like any other (it got no barriers while every stm_ name
  // counted as the runtime's).  test/tools/runtime_names.test keeps the list in step with
  // <stmc.h>.
  static bool isRuntimeName(StringRef N) {
    if (N.starts_with("_stm_"))
      return true;
    if (!N.starts_with("stm_"))
      return false;
    static const char *const Api[] = {
        // BEGIN <stmc.h> functions
        "stm_alloc", "stm_free", "stm_realloc", "stm_atomic", "stm_become_inevitable",
        "stm_on_commit", "stm_on_abort", "stm_in_atomic", "stm_is_inevitable", "stm_validate",
        "stm_setup", "stm_stats_get", "stm_stats_print", "stm_read", "stm_write",
        "stm_safepoint",
        // END <stmc.h> functions
    };
    for (const char *A : Api)
      if (N == A)
        return true;
    return false;
  }

  // True for calls that cannot end a transaction or break one (the elisions may look across).
  bool isNonBoundary(const CallBase *CB) const {
    if (isa<IntrinsicInst>(CB))
      return !isSjLj(CB);
    const Function *F = calleeOf(CB);
    if (!F)
      return false; // indirect call / inline asm
    if (F->isIntrinsic())
      return !isSjLj(CB);
    StringRef N = F->getName();
    // The runtime's own functions carry STM_PURE (never wrapped), but transaction starts,
    // commits and the like are boundaries: only these few are not.
    if (isRuntimeName(N))
      // Not stm_on_commit/stm_on_abort: outside atomic blocks stm_on_commit runs its
      // callback at once, which may end the implicit transaction (I/O): barriers after it
      // were elided as covered by those before, and the writes were never published.
      return N == "_stm_read_slow" || N == "_stm_write_slow" || N == "_stm_write_again" ||
             N == "_stm_write_immutable" || N == "stm_in_atomic" || N == "stm_is_inevitable";
    if (PureFns.count(F) || F->doesNotAccessMemory() || CB->doesNotAccessMemory())
      return !ClPureBoundaryCheck || !mayEndTransaction(F, *CB->getFunction(), 3);
    if (F->isDeclaration() && PureNames.count(N) && !ExternalFns.count(F))
      return true;
    return false;
  }

  // __builtin_setjmp / __builtin_longjmp: the setjmp returns a second time after code in
  // between (an external call, a safe point) may have ended the transaction, and neither
  // intrinsic has the returns_twice attribute that libc's setjmp has.  A boundary, so that no
  // barrier after the setjmp is elided as covered by one before it (a review: `p->x = 1;
  // if (__builtin_setjmp(b)) { p->x = 2; ... }` after a longjmp from a function that printed
  // lost the second store, its barrier elided as the same granule's).
  static bool isSjLj(const CallBase *CB) {
    const Function *F = calleeOf(CB);
    Intrinsic::ID ID = F ? F->getIntrinsicID() : Intrinsic::not_intrinsic;
    return ID == Intrinsic::eh_sjlj_setjmp || ID == Intrinsic::eh_sjlj_longjmp;
  }

  // Whether a call to F may end the running transaction before it returns (outside atomic
  // blocks the implicit one ends at a safe point that finds its YIELD flag set, and at an
  // external call): F or what it calls has a loop (a safe point), an external or unknown call,
  // or a runtime call that is a boundary.  A declaration that is no C library function may be
  // compiled by stmc in another file, loops and all, and a definition the linker may replace
  // is not the one that runs: both may.  STM_PURE and memory(none) functions used to count as
  // no boundary whatever they contained: a const function with a loop ended the implicit
  // transaction at its safe point, and a store after the call whose barrier was elided as
  // covered (same granule, fresh object) was never published (test e2e/pure_call_safepoint).
  bool mayEndTransaction(const Function *F, const Function &Caller, unsigned Depth) const {
    if (F->isIntrinsic())
      return false;
    if (F->isDeclaration()) {
      if (isRuntimeName(F->getName()))
        return true;
      if (PureNames.count(F->getName()))
        return false;
      return !isLibFunction(*F, Caller);
    }
    if (!F->hasExactDefinition() || Depth == 0)
      return true;
    SmallVector<std::pair<const BasicBlock *, const BasicBlock *>, 4> Backedges;
    FindFunctionBackedges(*F, Backedges);
    if (!Backedges.empty())
      return true;
    for (const BasicBlock &BB : *F)
      for (const Instruction &I : BB) {
        // An atomic operation ends the implicit transaction (_stm_sync), also in a callee
        // that syncAtomics has not reached yet (functions are instrumented in module order).
        bool OnHeap;
        if (ClSyncAtomics && isSyncPoint(I, OnHeap))
          return true;
        const auto *CB = dyn_cast<CallBase>(&I);
        if (!CB || isa<IntrinsicInst>(CB))
          continue;
        const Function *Callee = calleeOf(CB);
        if (!Callee)
          return true;
        if (isRuntimeName(Callee->getName())) {
          if (!isNonBoundary(CB))
            return true;
          continue;
        }
        if (isExternal(CB) || mayEndTransaction(Callee, Caller, Depth - 1))
          return true;
      }
    return false;
  }

  // True for calls to functions stmc did not compile, that get external_enter/leave.
  bool isExternal(const CallBase *CB) const {
    const Function *F = calleeOf(CB);
    return F && isExternalFunction(*F, *CB->getFunction(), CB->doesNotAccessMemory());
  }

  // isExternal for a call of F from Caller (CallNoMem: the call site says memory(none)).
  bool isExternalFunction(const Function &Fn, const Function &Caller,
                          bool CallNoMem = false) const {
    const Function *F = &Fn;
    if (F->isIntrinsic())
      return false;
    if (ExternalFns.count(F))
      return true;
    if (!F->isDeclaration() && !isSystemFunction(*F))
      return false;
    StringRef N = F->getName();
    if (isRuntimeName(N) || PureFns.count(F) || F->doesNotAccessMemory() || CallNoMem ||
        PureNames.count(N))
      return false;
    if (BlockingNames.count(N))
      return true;
    for (const char *P : BlockingPrefixes)
      if (N.starts_with(P)) {
        for (const char *NB : NonBlockingPthread)
          if (N == NB)
            return false;
        return true;
      }
    // A declaration that is no library function: assumed compiled by stmc in another file.
    return isLibFunction(*F, Caller);
  }

  // F is a C library function: declared or defined inline in a system header (the frontend's
  // table, isSystemFunction), or known by name and prototype, available on Caller's target
  // (TargetLibraryInfo): code stmc did not compile.
  bool isLibFunction(const Function &F, const Function &Caller) const {
    return isSystemFunction(F) || isKnownLibFunction(F, Caller);
  }

  // F is a C library function that TargetLibraryInfo knows by name and prototype.
  bool isKnownLibFunction(const Function &F, const Function &Caller) const {
    LibFunc LF;
    const TargetLibraryInfo &TLI =
        FAM.getResult<TargetLibraryAnalysis>(const_cast<Function &>(Caller));
    return TLI.getLibFunc(F, LF) && TLI.has(LF);
  }

  // A call to the C library (or libatomic): a function declared here, not the runtime's, that
  // TargetLibraryInfo knows by name and prototype, or an __atomic_* function.  Such code was not compiled by stmc and cannot
  // dereference an STM heap pointer (%gs-relative) given to it.
  bool isLibraryCall(CallBase *CB) {
    Function *F = calleeOf(CB);
    if (!F || !F->isDeclaration() || F->isIntrinsic() || isRuntimeName(F->getName()) ||
        PureFns.count(F))
      return false;
    // By name and prototype: a program's own send(struct chan STM_HEAP *, long), defined in
    // another file, is no library call although libc has a send() (ISO C does not reserve
    // POSIX's names).  libatomic's __atomic_* names are the implementation's.
    if (F->getName().starts_with("__atomic_"))
      return true;
    return isLibFunction(*F, *CB->getFunction());
  }

  // Declared in a system header, or defined inline there (an available_externally copy of
  // glibc's extern-inline putchar_unlocked: code of the library, not compiled by stmc in
  // spirit: it writes the FILE buffer), by the frontend's table (stmc::systemFunctions).
  bool isSystemFunction(const Function &F) const {
    if (!ClSystemHeaders || llvm::is_contained(NotExternalSystemFunctions, F.getName()))
      return false;
    const stmc::SystemFunctions &SF = stmc::systemFunctions();
    if (F.isDeclaration())
      return SF.Declared.count(F.getName());
    // glibc's inline bsearch only calls the program's comparator: program code.
    return F.hasAvailableExternallyLinkage() && SF.Inline.count(F.getName()) &&
           F.getName() != "bsearch";
  }

  // A function of this module that code stmc did not compile calls: an OpenMP parallel
  // region's or task's outlined function (passed to a __kmpc_ or __tgt_ function), or one
  // passed where a declaration's !callback metadata says it calls its argument
  // (__kmpc_fork_call's; a library's function declared with __attribute__((callback(...))),
  // a thread pool's submit, say).  It returns into that code, which may wait (an OpenMP
  // worker goes back to its pool's barrier), so it ends the implicit transaction first.
  bool isForeignCallback(const Function &F) const { return ForeignCallbacks.count(&F); }

  // CB's variadic arguments go to a callback stmc compiled (__kmpc_fork_call's go to the
  // outlined region, by its !callback metadata): heap pointers among them are no leak.
  static bool forwardsVarArgs(const CallBase &CB) {
    const Function *F = calleeOf(&CB);
    return F && llvm::any_of(callbackEncodings(*F),
                             [](const CallbackEncoding &E) { return E.VarArgs; });
  }

  // F runs only inside atomic blocks: every call of it is in a block of its caller, or in a
  // function that itself runs only there (functionsOnlyInBlocks).
  bool runsOnlyInBlocks(const Function &F) const { return OnlyInBlocks.count(&F); }
  void setOnlyInBlocks(SmallPtrSet<const Function *, 8> &&S) { OnlyInBlocks = std::move(S); }

  // STM_PURE or STM_EXTERNAL.
  bool isAnnotated(const Function *F) const {
    return PureFns.count(F) || ExternalFns.count(F);
  }

  bool isAlloc(const CallBase *CB) const {
    const Function *F = calleeOf(CB);
    return F && F->getName() == "stm_alloc";
  }

private:
  void findForeignCallbacks(Module &M) {
    for (Function &D : M) {
      if (!D.isDeclaration())
        continue;
      bool OpenMP = D.getName().starts_with("__kmpc_") || D.getName().starts_with("__tgt_");
      SmallVector<unsigned, 2> CalleeArgs; // the argument positions that are callees
      for (const CallbackEncoding &E : callbackEncodings(D))
        CalleeArgs.push_back(E.Callee);
      if (CalleeArgs.empty() && !OpenMP)
        continue;
      for (User *U : D.users()) {
        auto *CB = dyn_cast<CallBase>(U);
        // (a declaration with !callback that stmc compiled elsewhere returns into stmc code)
        if (!CB || calleeOf(CB) != &D || !isExternalFunction(D, *CB->getFunction()))
          continue;
        for (unsigned K = 0; K < CB->arg_size(); ++K) {
          if (!OpenMP && !llvm::is_contained(CalleeArgs, K))
            continue;
          auto *Fn = dyn_cast<Function>(CB->getArgOperand(K)->stripPointerCasts());
          if (Fn && !Fn->isDeclaration())
            ForeignCallbacks.insert(Fn);
        }
      }
    }
  }

  FunctionAnalysisManager &FAM;
  StringSet<> PureNames, BlockingNames;
  SmallPtrSet<const Function *, 8> PureFns, ExternalFns, ForeignCallbacks, OnlyInBlocks;
};

// ---- one heap access -----------------------------------------------------------------------
enum class ElideKind {
  None, SameGranule, ReadAfterWrite, ReadBeforeWrite, Fresh, Immutable, Hoisted, Ranged,
  ReadOnlyClone
};

// The attribute of a read-only clone (-stmc-readonly-clones): reads get no barrier, loops no
// safe point.  It only ever runs inside an unmarked transaction: RV == 1 at every call (the
// dispatch tests it) and stays 1 until the transaction ends, which cannot happen while a
// function of the block is running (a write, allocation, free or external call upgrades:
// the transaction aborts and longjmps out; nested atomic blocks are flattened; safe points
// inside atomic blocks do nothing).
constexpr const char *ReadOnlyCloneAttr = "stmc-readonly-clone";

struct Access {
  Instruction *I;
  Value *Ptr;
  uint64_t Size;
  bool IsWrite; // store, atomicrmw, cmpxchg (the write barrier also marks read)
  bool MaySpan;
  ElideKind Elide = ElideKind::None;
  bool Upgraded = false; // a read whose barrier became the write barrier of a later store
  bool ImmutableStore = false; // a store to an stm_immutable field: _stm_write_immutable,
                               // never elided (the runtime's debug check is the point)
  const Value *Base = nullptr;
  int64_t Off = 0;
  int RVFrom = -1;            // an earlier read access whose RV value this barrier may reuse
  Value *RV = nullptr;        // the RV value this read barrier used (set when emitted)
};

struct HoistedBarrier {
  Value *Base; // loop-invariant base pointer
  int64_t Off; // constant byte offset from Base
  uint64_t Size;
  bool IsWrite;
  bool MaySpan;
  Instruction *Origin;
};

// A range read barrier in a loop's preheader: the bytes [Lo, Lo + Len) that a load reads over
// its Count executions (the values are computed in the preheader; Count may be 0).
struct RangeBarrier {
  const SCEV *Start;  // the address on the first iteration
  const SCEV *CountS; // the access's executions (i64); both valid during the analysis only
  int64_t Step;      // bytes per iteration (0: StepS, known at run time only; or, without
                     // StepS, the same address on every iteration)
  uint64_t AbsStep;  // |Step|
  const SCEV *StepS; // a loop-invariant step that is not a constant (strided reads), or null
  uint64_t Size;
  bool Strided;      // |Step| > max(granule, Size): the granules of each element only
  bool IsWrite;      // a write range (stores; never strided)
  Instruction *Origin;
  Value *Cnt = nullptr, *Lo = nullptr, *Len = nullptr;
  Value *Stride = nullptr; // |StepS| at run time
};

// The covered granules in an extended basic block: (base, [off, off+size), write?).
struct Covered {
  const Value *Base;
  int64_t Off;
  uint64_t Size;
  bool IsWrite;
};

struct BlockState {
  SmallVector<Covered, 8> Cov;
  SmallPtrSet<const Value *, 4> Fresh;
  int LastRead = -1; // the last unelided read since the last call (-stmc-share-rv)
};

// The plain global variable that I reads (second = true) or writes (false) with a simple
// load or store, if any (thread-local ones too): not constant or in the heap's address space.
static std::pair<GlobalVariable *, bool> plainGlobalAccess(Instruction &I) {
  Value *P = nullptr;
  bool IsLoad = false;
  if (auto *LI = dyn_cast<LoadInst>(&I)) {
    if (LI->isSimple())
      P = LI->getPointerOperand(), IsLoad = true;
  } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
    if (SI->isSimple())
      P = SI->getPointerOperand();
  }
  Value *Obj = P ? getUnderlyingObject(P) : nullptr;
  // A thread-local variable's address: llvm.threadlocal.address(@var) (a read-only attempt
  // that writes runs the block again also with one thread: an interpreter's current frame kept
  // in a _Thread_local and pushed in a block was pushed twice; a review's find)
  if (auto *II = dyn_cast_or_null<IntrinsicInst>(Obj))
    if (II->getIntrinsicID() == Intrinsic::threadlocal_address)
      Obj = getUnderlyingObject(II->getArgOperand(0));
  auto *GV = dyn_cast_or_null<GlobalVariable>(Obj);
  if (!GV || GV->isConstant() || GV->getAddressSpace() != 0)
    return {nullptr, false};
  return {GV, IsLoad};
}

// The plain-global loads and stores met in a stretch of code (a block's walk, a callee's body),
// and the updates among them: the first store of each variable that a load of it dominates
// and no call that makes the transaction inevitable dominates (no abort can follow such a call:
// a block that takes a pthread mutex and then updates a global it guards is not warned).
struct GlobalAccesses {
  DenseMap<GlobalVariable *, SmallVector<Instruction *, 2>> Loads;
  SmallVector<std::pair<GlobalVariable *, Instruction *>, 4> Stores; // in the order met
  SmallVector<Instruction *, 2> Inevitable; // external calls met (CallClassifier::isExternal)

  bool afterInevitable(const DominatorTree &DT, const Instruction *I) const {
    return any_of(Inevitable, [&](Instruction *X) { return DT.dominates(X, I); });
  }

  // false: I is neither a plain-global load or store nor an external call.
  bool add(Instruction &I, const CallClassifier &CC) {
    auto [GV, IsLoad] = plainGlobalAccess(I);
    if (!GV) {
      auto *CB = dyn_cast<CallBase>(&I);
      if (!CB || !CC.isExternal(CB))
        return false;
      Inevitable.push_back(CB);
      return true;
    }
    if (IsLoad)
      Loads[GV].push_back(&I);
    else
      Stores.push_back({GV, &I});
    return true;
  }

  SmallVector<std::pair<GlobalVariable *, Instruction *>, 2>
  readThenWritten(const DominatorTree &DT) const {
    SmallPtrSet<GlobalVariable *, 4> Seen;
    SmallVector<std::pair<GlobalVariable *, Instruction *>, 2> Out;
    // A load that a store to the same address dominates reads what the block set (g = 0;
    // then g = g + 1): a retry sets it again first, so it is no update of the value from
    // before.  The same address, not the same variable: s.last = k; s.count++ updates count.
    // An address as (base, constant offset), a thread-local variable's base as the variable:
    // each of its accesses computes the address anew (llvm.threadlocal.address), and a
    // thread-local set before it was read was warned about (a review's find).
    // The store must cover the bytes the load reads: `u.c[0] = 1; u.l++` updates bytes 1-7.
    // A variable index counts as the same where both accesses use the same value, or load it
    // from the same local (an alloca only loaded and stored) with no store to that local
    // between the two loads in one basic block: `ta[i] = 0; ta[i] += k` before promotion, which
    // loads i for each access, was warned about (a false positive found by a review).
    struct Bytes {
      const Value *Base;
      int64_t Off;
      uint64_t Size;
      SmallVector<std::pair<const Value *, int64_t>, 2> Vars; // (index, bytes a step)
      bool Known;
    };
    auto Key = [](Instruction *I) {
      const Value *P = getLoadStorePointerOperand(I);
      const DataLayout &DL = I->getModule()->getDataLayout();
      Bytes B{nullptr, 0, 0, {}, true};
      for (unsigned Depth = 0;; ++Depth) {
        APInt Off(DL.getIndexTypeSizeInBits(P->getType()), 0);
        P = P->stripAndAccumulateConstantOffsets(DL, Off, true);
        B.Off += Off.getSExtValue();
        auto *GEP = dyn_cast<GEPOperator>(P);
        if (!GEP || Depth == 4)
          break;
        for (gep_type_iterator GTI = gep_type_begin(GEP), E = gep_type_end(GEP); GTI != E;
             ++GTI) {
          const Value *Idx = GTI.getOperand();
          if (StructType *ST = GTI.getStructTypeOrNull()) {
            B.Off += DL.getStructLayout(ST)->getElementOffset(
                cast<ConstantInt>(Idx)->getZExtValue());
            continue;
          }
          TypeSize Stride = GTI.getSequentialElementStride(DL);
          if (Stride.isScalable() || Idx->getType()->isVectorTy()) {
            B.Known = false;
            break;
          }
          if (auto *CI = dyn_cast<ConstantInt>(Idx))
            B.Off += CI->getSExtValue() * (int64_t)Stride.getFixedValue();
          else
            B.Vars.push_back({Idx->stripPointerCasts(), (int64_t)Stride.getFixedValue()});
        }
        P = GEP->getPointerOperand();
      }
      if (const auto *II = dyn_cast<IntrinsicInst>(P))
        if (II->getIntrinsicID() == Intrinsic::threadlocal_address)
          P = II->getArgOperand(0)->stripPointerCasts(); // (it takes the variable itself)
      B.Base = P;
      Type *T = isa<LoadInst>(I) ? I->getType() : cast<StoreInst>(I)->getValueOperand()->getType();
      B.Size = DL.getTypeStoreSize(T).getKnownMinValue();
      return B;
    };
    // The local a variable index was loaded from (through integer casts), if only loads,
    // stores and lifetime markers use it.
    auto LocalLoad = [](const Value *V) -> const LoadInst * {
      while (auto *C = dyn_cast<CastInst>(V))
        V = C->getOperand(0);
      auto *LI = dyn_cast<LoadInst>(V);
      auto *AI = LI && LI->isSimple() ? dyn_cast<AllocaInst>(LI->getPointerOperand()) : nullptr;
      if (!AI)
        return nullptr;
      for (const User *U : AI->users())
        if (!isa<LoadInst>(U) &&
            !(isa<StoreInst>(U) && cast<StoreInst>(U)->getPointerOperand() == AI) &&
            !(isa<IntrinsicInst>(U) && cast<IntrinsicInst>(U)->isLifetimeStartOrEnd()) &&
            !isa<DbgInfoIntrinsic>(U))
          return nullptr;
      return LI;
    };
    auto SameIndex = [&](const Value *A, const Value *B) {
      if (A == B)
        return true;
      const LoadInst *LA = LocalLoad(A), *LB = LocalLoad(B);
      if (!LA || !LB || LA->getPointerOperand() != LB->getPointerOperand() ||
          LA->getType() != LB->getType() || LA->getParent() != LB->getParent())
        return false;
      // the casts on the way must be the same too
      const Value *CA = A, *CB = B;
      while (isa<CastInst>(CA) && isa<CastInst>(CB)) {
        if (cast<CastInst>(CA)->getOpcode() != cast<CastInst>(CB)->getOpcode() ||
            CA->getType() != CB->getType())
          return false;
        CA = cast<CastInst>(CA)->getOperand(0);
        CB = cast<CastInst>(CB)->getOperand(0);
      }
      if (CA != LA || CB != LB)
        return false;
      if (LB->comesBefore(LA))
        std::swap(LA, LB);
      for (const Instruction *X = LA->getNextNode(); X && X != LB; X = X->getNextNode())
        if (auto *SI = dyn_cast<StoreInst>(X))
          if (SI->getPointerOperand() == LA->getPointerOperand())
            return false;
      return true;
    };
    auto SameVars = [&](const Bytes &W, const Bytes &R) {
      if (!W.Known || !R.Known || W.Vars.size() != R.Vars.size())
        return false;
      for (size_t K = 0; K < W.Vars.size(); ++K)
        if (W.Vars[K].second != R.Vars[K].second || !SameIndex(W.Vars[K].first, R.Vars[K].first))
          return false;
      return true;
    };
    auto ReadsOld = [&](GlobalVariable *GV, Instruction *L) {
      Bytes R = Key(L);
      return none_of(Stores, [&](const std::pair<GlobalVariable *, Instruction *> &S) {
        if (S.first != GV || !DT.dominates(S.second, L))
          return false;
        Bytes W = Key(S.second);
        return W.Base == R.Base && SameVars(W, R) && W.Off <= R.Off &&
               W.Off + (int64_t)W.Size >= R.Off + (int64_t)R.Size;
      });
    };
    for (auto &[GV, St] : Stores)
      if (!Seen.count(GV) && !afterInevitable(DT, St) &&
          any_of(Loads.lookup(GV), [&, GV = GV, St = St](Instruction *L) {
            return DT.dominates(L, St) && ReadsOld(GV, L);
          })) {
        Seen.insert(GV);
        Out.push_back({GV, St});
      }
    return Out;
  }
};

// The updates of plain globals (a store that a load of the same variable dominates) in the
// functions that atomic blocks call, for warnGlobalsUpdatedInBlocks: each function is looked
// at once per module, and each (function, variable) is warned about once, however many blocks
// call it.
class CalleeGlobalUpdates {
public:
  explicit CalleeGlobalUpdates(CallClassifier &CC) : CC(CC) {}

  // A call an atomic block makes (or one of its callees makes) to a function this module
  // defines that runs as part of the transaction: not the runtime, not STM_PURE/STM_EXTERNAL
  // (an external call makes the transaction inevitable first: it cannot abort after it).
  Function *calleeInTransaction(CallBase *CB) {
    Function *G = CB->getCalledFunction();
    if (!G || G->isDeclaration() || G->isIntrinsic() ||
        CallClassifier::isRuntimeName(G->getName()) || CC.isAnnotated(G) ||
        CC.isExternal(CB) || G->hasFnAttribute(ReadOnlyCloneAttr))
      return nullptr;
    return G;
  }

  // (variable, its first store that a load of it dominates) in G, in G's order.
  ArrayRef<std::pair<GlobalVariable *, Instruction *>> updatesIn(Function &G) {
    auto [It, New] = Updates.try_emplace(&G);
    if (!New)
      return It->second;
    GlobalAccesses GA;
    for (Instruction &I : instructions(G))
      GA.add(I, CC);
    // (nothing was added to Updates meanwhile: It is still valid)
    It->second = GA.readThenWritten(DominatorTree(G));
    return It->second;
  }

  bool firstWarning(Function *G, GlobalVariable *GV) { return Warned.insert({G, GV}).second; }

private:
  CallClassifier &CC;
  DenseMap<Function *, SmallVector<std::pair<GlobalVariable *, Instruction *>, 2>> Updates;
  DenseSet<std::pair<Function *, GlobalVariable *>> Warned;
};

class FunctionInstrumenter {
public:
  FunctionInstrumenter(Function &F, AbiContext &A, CallClassifier &CC, Counters &Cnt,
                       CalleeGlobalUpdates &CGU, const DenseSet<Instruction *> &ImmutableLoads,
                       const DenseSet<Instruction *> &ImmutableStores)
      : F(F), A(A), CC(CC), Cnt(Cnt), CGU(CGU), ImmutableLoads(ImmutableLoads),
        ImmutableStores(ImmutableStores), ORE(&F),
        ReadOnlyClone(F.hasFnAttribute(ReadOnlyCloneAttr)) {}

  void run(FunctionAnalysisManager &FAM);

private:
  Function &F;
  AbiContext &A;
  CallClassifier &CC;
  Counters &Cnt;
  CalleeGlobalUpdates &CGU;
  const DenseSet<Instruction *> &ImmutableLoads;
  const DenseSet<Instruction *> &ImmutableStores;
  OptimizationRemarkEmitter ORE;
  bool ReadOnlyClone; // a read-only clone: no read barriers, no safe points

  SmallVector<Access, 32> Accesses;
  DenseMap<Instruction *, unsigned> AccessIndex;
  SmallVector<CallInst *, 8> MemIntrinsics;
  SmallVector<CallBase *, 8> ExternalCalls;
  SmallPtrSet<Value *, 4> FlatFromHeap; // results of rewritten 256 -> 0 casts
  // Back-edges: the source block's terminator and the target (loop header).
  SmallVector<std::pair<Instruction *, BasicBlock *>, 8> Backedges;
  // Fresh objects (stm_alloc results) still in the write set at each back-edge: the safe point
  // puts them back in the write set after its slow path.
  DenseMap<Instruction *, SmallVector<CallBase *, 2>> SafepointFresh;
  // The safe points emitted: YIELD's load, the branch to the slow path, and the back-edge's
  // terminator (versionShortLoops).
  SmallVector<std::tuple<LoadInst *, BranchInst *, Instruction *>, 8> SafepointBranches;
  // Hoisted barriers per loop header, emitted in the preheader and again after a safe point's
  // slow path on that loop's back-edges.
  DenseMap<BasicBlock *, SmallVector<HoistedBarrier, 4>> Hoisted;
  DenseMap<BasicBlock *, Instruction *> PreheaderTerm;
  // Barriers run once per loop entry (flag-guarded in place).
  struct OnceBarrier {
    BasicBlock *Header;
    const Value *Base;
    int64_t Off;
    uint64_t Size;
    bool IsWrite, MaySpan;
    AllocaInst *Flag;
  };
  SmallVector<OnceBarrier, 4> Onces;
  DenseMap<Instruction *, unsigned> OnceOf;
  // Range barriers per loop header (analyseRanges), emitted in the preheader and again after
  // a safe point's slow path that ended the transaction.
  DenseMap<BasicBlock *, SmallVector<RangeBarrier, 4>> Ranges;
  // The instructions inside an atomic block of F (from its setjmp to its cleanup), where a
  // transaction always runs and is never implicit.
  DenseSet<const Instruction *> InBlock;
  SmallVector<Instruction *, 64> UserMemOps;

  // A local that an atomic block's retry restores: the bytes of Keep (the program's volatile
  // members, [begin, end) pairs, sorted and disjoint) keep what the aborted attempt left.
  struct LocalRestore {
    CallBase *Setjmp;
    AllocaInst *AI;
    SmallVector<std::pair<uint64_t, uint64_t>, 4> Keep;
  };
  void keepLocalsAcrossRetry(bool MarkVolatile);
  void keepInRegisterThroughLoops(ArrayRef<AllocaInst *> Locals,
                                  DenseMap<AllocaInst *, SmallVector<Instruction *, 8>> &MemOps);
  void restoreLocalsAtRetry(CallBase *C, ArrayRef<AllocaInst *> Locals,
                            DenseMap<AllocaInst *, SmallVector<Instruction *, 8>> &MemOps,
                            const DominatorTree &DT, SmallVectorImpl<LocalRestore> &Out);
  void emitRestores(ArrayRef<LocalRestore> Todo);
  bool lockFreeOnTarget(uint64_t Size) const;
  void emitNoTransactionCheck(Instruction *Before, Value *Ptr, uint64_t Size, Constant *Site);
  void warnGlobalsUpdatedInBlocks();
  void keepLoopsOutOfLine();
  void promote(FunctionAnalysisManager &FAM);
  void scalarizeSmallMemIntrinsics();
  void warnFlatCasts();
  bool rewriteCasts(); // true: blocks were split
  void syncAtomics();
  void collect();
  void analyseElisions(DominatorTree &DT);
  void analyseLoops(DominatorTree &DT, LoopInfo &LI);
  void findBlockRegions(DominatorTree &DT);
  bool loopInBlock(const Loop *L) const;
  void dropBlockSafepoints(LoopInfo &LI);
  void analyseRanges(DominatorTree &DT, LoopInfo &LI);
  void hoistInvariantLoads(DominatorTree &DT, LoopInfo &LI);
  void emitExternalEnter(IRBuilder<> &B, Constant *Site, bool Waits);
  void emitRange(Instruction *Before, const RangeBarrier &R);
  // Returns the RV value a read barrier tested (nullptr for a write barrier).
  Instruction *emitInlineAppend(Instruction *Then, Value *Addr, Value *WV);
  Value *emitBarrier(Instruction *Before, Value *Ptr, uint64_t Size, bool IsWrite, bool MaySpan,
                     Constant *Site, Value *ReuseRV = nullptr);
  std::pair<LoadInst *, Instruction *> emitYieldTest(Instruction *Before, const Twine &Name);
  void emitWriteAgain(Instruction *Then, Instruction *Term);
  void emitSafepoint(Instruction *Term, BasicBlock *Header);
  void versionShortLoops();
  void dropQuietLoopSafepoints(LoopInfo &LI);
  void emitHoisted(Instruction *Before, const HoistedBarrier &H) {
    IRBuilder<> B(Before);
    Value *P = H.Off ? B.CreateGEP(A.I8Ty, H.Base, ConstantInt::get(A.I64Ty, H.Off), "stmc.hp")
                     : H.Base;
    emitBarrier(Before, P, H.Size, H.IsWrite, H.MaySpan, A.site(H.Origin));
  }
  void wrapExternal(CallBase *CB);
  void diagnoseWaitsInBlocks();
  void warnHeapVarArgs(CallBase *CB);
  void remarkElided(const Access &Acc);
};

// Stored exactly once, in the entry block (a parameter's home, a local initialised up front):
// its value cannot change between a setjmp and a longjmp back to it.
static bool isStoredOnceInEntry(AllocaInst *AI) {
  unsigned Stores = 0;
  for (User *U : AI->users())
    if (auto *SI = dyn_cast<StoreInst>(U)) {
      if (SI->getParent() != &AI->getFunction()->getEntryBlock())
        return false;
      ++Stores;
    }
  return Stores == 1;
}

static bool callsNamed(const Instruction &I, StringRef Name) {
  auto *CB = dyn_cast<CallBase>(&I);
  const Function *Callee = CB ? CB->getCalledFunction() : nullptr;
  return Callee && Callee->getName() == Name;
}

// Whether I is the _stm_atomic_cleanup call that ends the atomic block of setjmp call C: its
// frame is the one whose jump buffer C fills (STM_ATOMIC passes &frame.jb to the one and
// &frame to the other).  Failing that (code built with an older <stmc.h>, whose macro passed
// the frame through a pointer variable), a cleanup call that C does not dominate: that macro
// entered the block in an outer loop and set the jump buffer in an inner one, so the block's
// cleanup was also reached without passing C, while nested blocks' cleanups, which C
// dominates, are inside.  Nested blocks have frames of their own: an abort in one returns to
// the outermost block's setjmp, so the walk goes on through them.
static bool endsBlockOf(const Instruction &I, const CallBase *C, const DominatorTree &DT) {
  if (!callsNamed(I, "_stm_atomic_cleanup"))
    return false;
  const auto *CB = cast<CallBase>(&I);
  if (CB->arg_size() >= 1 && C->arg_size() >= 1 &&
      getUnderlyingObject(CB->getArgOperand(0)) == getUnderlyingObject(C->getArgOperand(0)))
    return true;
  return !DT.dominates(C, &I);
}

// Visits, in order along every path, the instructions reachable from the setjmp call C without
// passing C again (a path through C is a new setjmp, which saves the registers anew).
// Visit returns false to end the path there.  With BlockDT (the function's dominator tree):
// end each path at the end of C's atomic block instead, its _stm_atomic_cleanup call
// (endsBlockOf).
template <typename VisitFn>
static void walkFromSetjmp(CallBase *C, const DominatorTree *BlockDT, VisitFn Visit) {
  SmallVector<std::pair<BasicBlock *, BasicBlock::iterator>, 16> Work;
  SmallPtrSet<BasicBlock *, 16> Entered; // blocks walked from their first instruction
  auto PushSuccessors = [&](BasicBlock *BB) {
    for (BasicBlock *Succ : successors(BB))
      if (Entered.insert(Succ).second)
        Work.push_back({Succ, Succ->begin()});
  };
  if (C->isTerminator())
    PushSuccessors(C->getParent());
  else
    Work.push_back({C->getParent(), std::next(C->getIterator())});
  while (!Work.empty()) {
    auto [BB, It] = Work.pop_back_val();
    bool Ended = false;
    for (; It != BB->end() && !Ended; ++It) {
      Instruction &I = *It;
      Ended = &I == C || !Visit(I) || (BlockDT && endsBlockOf(I, C, *BlockDT));
    }
    if (!Ended)
      PushSuccessors(BB);
  }
}

// The functions of M that run only inside atomic blocks: local to the module, used only by
// direct calls, each of which lies in an atomic block of its caller (from the block's setjmp
// to its cleanup, walkFromSetjmp) or in a function that itself runs only there.  A
// transaction always runs through such a function (never an implicit one), as through a
// loop in a block (-stmc-range-writes).
static SmallPtrSet<const Function *, 8> functionsOnlyInBlocks(Module &M) {
  DenseSet<const Instruction *> InBlock; // call sites inside some atomic block
  for (Function &F : M) {
    SmallVector<CallBase *, 4> Setjmps;
    for (Instruction &I : instructions(F))
      if (callsNamed(I, "_stm_setjmp"))
        Setjmps.push_back(cast<CallBase>(&I));
    if (Setjmps.empty())
      continue;
    DominatorTree DT(F);
    for (CallBase *C : Setjmps)
      walkFromSetjmp(C, &DT, [&](Instruction &I) {
        if (isa<CallBase>(I))
          InBlock.insert(&I);
        return true;
      });
  }
  SmallVector<Function *, 16> Cands;
  for (Function &F : M)
    if (!F.isDeclaration() && F.hasLocalLinkage() && !F.use_empty() &&
        all_of(F.uses(), [&](const Use &U) {
          auto *CB = dyn_cast<CallBase>(U.getUser());
          return CB && CB->isCallee(&U);
        }))
      Cands.push_back(&F);
  // The largest set in which every call site is in a block or in a member (start with all
  // candidates, drop those with a call site elsewhere, until nothing changes).
  SmallPtrSet<const Function *, 8> Set(Cands.begin(), Cands.end());
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (Function *F : Cands)
      if (Set.count(F) && any_of(F->users(), [&](const User *U) {
            auto *CB = cast<CallBase>(U);
            return !InBlock.count(CB) && !Set.count(CB->getFunction());
          })) {
        Set.erase(F);
        Changed = true;
      }
  }
  return Set;
}

using ByteRanges = SmallVector<std::pair<uint64_t, uint64_t>, 4>;

// The bytes of local AI that an access of type Ty at Ptr may reach, as [begin, end) ranges,
// where Ptr is AI plus constant offsets and indices into array members: an index that is not
// constant reaches the same bytes in each element (`s.tries[k]`, `a[k].tries` in an array of
// structs: one range per element, or the span of them all past 64).  None through anything
// else (a pointer loaded from another local, pointer arithmetic on AI itself).
static std::optional<ByteRanges> bytesOfLocal(AllocaInst *AI, Value *Ptr, Type *Ty) {
  const DataLayout &DL = AI->getDataLayout();
  ByteRanges R{{0, DL.getTypeStoreSize(Ty).getFixedValue()}};
  auto Shift = [&](uint64_t By) {
    for (auto &X : R) {
      X.first += By;
      X.second += By;
    }
  };
  while (Ptr != AI) {
    if (auto *BC = dyn_cast<BitCastInst>(Ptr)) {
      Ptr = BC->getOperand(0);
      continue;
    }
    auto *GEP = dyn_cast<GetElementPtrInst>(Ptr);
    if (!GEP)
      return std::nullopt;
    Type *Into = nullptr; // what the current index indexes into (none: the first index)
    for (gep_type_iterator GTI = gep_type_begin(GEP), E = gep_type_end(GEP); GTI != E;
         Into = GTI.getIndexedType(), ++GTI) {
      auto *CI = dyn_cast<ConstantInt>(GTI.getOperand());
      if (StructType *STy = GTI.getStructTypeOrNull()) {
        Shift(DL.getStructLayout(STy)->getElementOffset(CI->getZExtValue()));
        continue;
      }
      uint64_t Elt = GTI.getSequentialElementStride(DL).getFixedValue();
      if (CI) {
        if (CI->isNegative())
          return std::nullopt;
        Shift(CI->getZExtValue() * Elt);
        continue;
      }
      // A variable index: within an array member only (not the GEP's first index).
      auto *ATy = dyn_cast_or_null<ArrayType>(Into);
      if (!ATy)
        return std::nullopt;
      uint64_t N = ATy->getNumElements();
      if (R.size() * N > 64) { // the span of them all
        R = {{R.front().first, R.back().second + (N ? N - 1 : 0) * Elt}};
        continue;
      }
      ByteRanges Each;
      for (uint64_t K = 0; K < N; ++K)
        for (auto X : R)
          Each.push_back({X.first + K * Elt, X.second + K * Elt});
      llvm::sort(Each);
      R = std::move(Each);
    }
    Ptr = GEP->getPointerOperand();
  }
  if (R.empty() || R.back().second > AI->getAllocationSize(DL)->getFixedValue())
    return std::nullopt;
  return R;
}

// The bytes of local AI that its volatile loads and stores (Ops: all its accesses) reach,
// merged into sorted disjoint [begin, end) ranges in Keep.  False if one of them is not at a
// place bytesOfLocal knows.  A volatile range whose bytes a plain load or store may also
// reach is left out: the bytes are restored, so the plain members are right (a volatile
// bitfield in the storage unit of plain ones: each access loads and stores the whole unit; a
// union of a volatile and a plain member; an array of structs whose elements' plain members
// a variable index into the array reaches).  A plain access at a place bytesOfLocal does not
// know may reach any byte: nothing is kept.
static bool volatileMembers(AllocaInst *AI, ArrayRef<Instruction *> Ops, ByteRanges &Keep) {
  ByteRanges Plain;
  for (Instruction *I : Ops) {
    Value *Ptr;
    Type *Ty;
    bool Vol;
    if (auto *LI = dyn_cast<LoadInst>(I)) {
      Ptr = LI->getPointerOperand();
      Ty = LI->getType();
      Vol = LI->isVolatile();
    } else if (auto *SI = dyn_cast<StoreInst>(I)) {
      Ptr = SI->getPointerOperand();
      Ty = SI->getValueOperand()->getType();
      Vol = SI->isVolatile();
    } else {
      continue; // a copy of the whole struct (volatile when it has a volatile member)
    }
    std::optional<ByteRanges> R = bytesOfLocal(AI, Ptr, Ty);
    if (!R)
      return false;
    (Vol ? Keep : Plain).append(R->begin(), R->end());
  }
  llvm::erase_if(Keep, [&](std::pair<uint64_t, uint64_t> V) {
    return llvm::any_of(Plain, [&](auto P) { return P.first < V.second && V.first < P.second; });
  });
  llvm::sort(Keep);
  ByteRanges Merged;
  for (auto R : Keep)
    if (!Merged.empty() && R.first <= Merged.back().second)
      Merged.back().second = std::max(Merged.back().second, R.second);
    else
      Merged.push_back(R);
  Keep = std::move(Merged);
  return true;
}

// An atomic block restores, at each retry, the locals it may have changed that a later read
// could see (AME: a block that runs again looks as if its aborted attempts never ran):
// `total += x` in a block counted twice when the block ran again, also with one thread (a
// read-only attempt that writes).  This chooses them; emitRestores makes the copies.  Not
// restored, and so kept as they were (the contract before): locals the program declared
// volatile (the escape hatch: a count of attempts), locals declared in the block (a retry
// declares them again), the block's own frame, variable-length arrays and alloca(n) (no fixed
// size to copy), and locals over -stmc-restore-locals-max bytes (warned).  Of a local with
// both volatile and plain accesses (a struct with a volatile attempt counter beside plain
// members), the bytes that volatile loads and stores at constant offsets reach are kept and
// the rest restored (-stmc-restore-volatile-members; the whole local where a volatile access
// is at an offset not known here).
void FunctionInstrumenter::restoreLocalsAtRetry(
    CallBase *C, ArrayRef<AllocaInst *> Locals,
    DenseMap<AllocaInst *, SmallVector<Instruction *, 8>> &MemOps, const DominatorTree &DT,
    SmallVectorImpl<LocalRestore> &Out) {
  const DataLayout &DL = F.getDataLayout();
  const Value *Frame =
      C->arg_size() ? getUnderlyingObject(C->getArgOperand(0)->stripPointerCasts()) : nullptr;
  // Locals whose lifetime starts inside the block: declared there.
  SmallPtrSet<const Value *, 8> DeclaredIn;
  walkFromSetjmp(C, &DT, [&](Instruction &I) {
    if (auto *II = dyn_cast<IntrinsicInst>(&I))
      if (II->getIntrinsicID() == Intrinsic::lifetime_start)
        DeclaredIn.insert(getUnderlyingObject(II->getArgOperand(1)));
    return true;
  });
  for (AllocaInst *AI : Locals) {
    std::optional<TypeSize> Size = AI->getAllocationSize(DL);
    if (AI == Frame || !AI->isStaticAlloca() || !Size || Size->isScalable() ||
        DeclaredIn.count(AI) || !DT.dominates(AI, C))
      continue;
    auto &Ops = MemOps[AI];
    if (!Ops.empty() && all_of(Ops, isVolatileMemOp))
      continue; // declared volatile by the program: kept
    if (Size->getFixedValue() > ClRestoreLocalsMax) {
      // A copy at each entry of the block would cost more than most blocks (a review: a
      // 64 KiB histogram updated in a block ran 160x slower), and a shadow per block of
      // large arrays overflowed the stack: kept, and said.
      diagnoseAt(DS_Warning, C,
               "a local of " + Twine(Size->getFixedValue()) +
                   " bytes that this atomic block changes is not restored when the block "
                   "runs again (restoring copies it at each entry; the limit is -mllvm "
                   "-stmc-restore-locals-max=" + Twine((unsigned)ClRestoreLocalsMax) +
                   "): the next attempt sees what the aborted one left",
               "declare it inside the block (each attempt then has its own), raise the "
               "limit, or declare it volatile to say that the block fills it before it reads "
               "it or that keeping it is meant");
      continue;
    }
    LocalRestore R{C, AI, {}};
    if (ClRestoreVolatileMembers && !volatileMembers(AI, Ops, R.Keep))
      R.Keep.clear(); // a volatile access this cannot place: the whole local, as before
    if (R.Keep.size() == 1 && R.Keep[0] == std::make_pair(uint64_t(0), Size->getFixedValue()))
      continue; // every byte is volatile somewhere: kept
    if (!R.Keep.empty())
      ++Cnt.VolatileMembersKept;
    Out.push_back(std::move(R));
  }
}

// The copies restoreLocalsAtRetry chose: each local into a shadow of its own before the
// block's setjmp, and back after the setjmp's second return (it returns non-zero then) with a
// volatile copy (no optimisation may take it for a copy of what the local already holds).
void FunctionInstrumenter::emitRestores(ArrayRef<LocalRestore> Todo) {
  const DataLayout &DL = F.getDataLayout();
  IRBuilder<> Entry(&*F.getEntryBlock().getFirstInsertionPt());
  DenseMap<CallBase *, Instruction *> Retry; // the setjmp -> its retry branch's terminator
  for (const LocalRestore &R : Todo) {
    CallBase *C = R.Setjmp;
    AllocaInst *AI = R.AI;
    Instruction *&Then = Retry[C];
    if (!Then) {
      Instruction *After = nullptr;
      if (auto *II = dyn_cast<InvokeInst>(C)) {
        BasicBlock *Normal = II->getNormalDest();
        if (!Normal->getSinglePredecessor())
          Normal = SplitEdge(II->getParent(), Normal);
        After = &*Normal->getFirstInsertionPt();
      } else {
        After = C->getNextNode();
      }
      IRBuilder<> B(After);
      Value *Again = B.CreateICmpNE(C, ConstantInt::get(C->getType(), 0), "stmc.retry");
      Then = SplitBlockAndInsertIfThen(Again, After, false);
    }
    AllocaInst *Shadow =
        Entry.CreateAlloca(AI->getAllocatedType(), AI->getArraySize(), "stmc.saved");
    Shadow->setAlignment(AI->getAlign());
    uint64_t Size = AI->getAllocationSize(DL)->getFixedValue();
    IRBuilder<>(C).CreateMemCpy(Shadow, AI->getAlign(), AI, AI->getAlign(), Size);
    // Back: every byte but the kept ones, one copy per gap between them.
    IRBuilder<> B(Then);
    uint64_t From = 0;
    auto Copy = [&](uint64_t To) {
      if (To <= From)
        return;
      Align Al = commonAlignment(AI->getAlign(), From);
      auto At = [&](Value *P) {
        return From ? B.CreateConstInBoundsGEP1_64(A.I8Ty, P, From) : P;
      };
      B.CreateMemCpy(At(AI), Al, At(Shadow), Al, To - From, /*isVolatile=*/true);
    };
    for (auto [Begin, End] : R.Keep) {
      Copy(Begin);
      From = End;
    }
    Copy(Size);
    ++Cnt.RestoredLocals;
    ++NumRestoredLocals;
  }
}

// Locals that a block's retry restores (restoreLocalsAtRetry) need not be in memory while a
// loop runs: an abort anywhere in the loop restores them from the copy made at the block's
// entry, whatever they held.  So in an innermost loop without calls whose accesses of such a
// local are whole, plain loads and stores, it is kept in a register: loaded (volatile) before
// the loop into a shadow local that promote()'s SROA turns into a register, and stored back
// (volatile) at each exit.  Before, `long s = 0; STM_ATOMIC { for (...) s += x->a[i]; }` made
// a volatile load and store at each step, and summed 1 M longs in 1.9 ms against 0.31 with `s`
// declared in the block (a user's port of STAMP's kmeans).  -stmc-loop-local-registers=0:
// every access volatile.  Not a local with a volatile access of the program's (a struct's
// volatile member keeps the aborted attempt's value).  MemOps loses the accesses moved to the
// shadows and gains the new ones.
void FunctionInstrumenter::keepInRegisterThroughLoops(
    ArrayRef<AllocaInst *> Locals, DenseMap<AllocaInst *, SmallVector<Instruction *, 8>> &MemOps) {
  if (!ClLoopLocalRegisters)
    return;
  SmallVector<AllocaInst *, 8> Todo;
  for (AllocaInst *AI : Locals)
    if (AI->isStaticAlloca() && none_of(MemOps[AI], isVolatileMemOp))
      Todo.push_back(AI);
  if (Todo.empty())
    return;
  DominatorTree DT(F);
  LoopInfo LI(DT);
  const DataLayout &DL = F.getDataLayout();
  for (Loop *L : LI.getLoopsInPreorder()) {
    if (!L->isInnermost())
      continue;
    bool Clean = true;
    for (BasicBlock *BB : L->blocks())
      for (Instruction &I : *BB)
        if (auto *CB = dyn_cast<CallBase>(&I); CB && !isa<IntrinsicInst>(CB))
          Clean = false;
    if (!Clean)
      continue;
    for (AllocaInst *AI : Todo) {
      SmallVectorImpl<Instruction *> &Ops = MemOps[AI];
      if (none_of(Ops, [&](Instruction *I) { return L->contains(I); }))
        continue;
      // (a loop entered from a block that also branches elsewhere gets a preheader, one whose
      // exit is reached from outside too gets exit blocks of its own)
      BasicBlock *PH = L->getLoopPreheader();
      if (!PH)
        PH = InsertPreheaderForLoop(L, &DT, &LI, nullptr, false);
      if (PH && !L->hasDedicatedExits())
        formDedicatedExitBlocks(L, &DT, &LI, nullptr, false);
      if (!PH || !L->hasDedicatedExits())
        break;
      SmallVector<Instruction *, 4> In;
      Type *Ty = nullptr;
      bool Plain = true;
      for (Instruction *I : Ops) {
        if (!L->contains(I))
          continue;
        auto *LdI = dyn_cast<LoadInst>(I);
        auto *StI = dyn_cast<StoreInst>(I);
        Type *T = LdI ? LdI->getType() : StI ? StI->getValueOperand()->getType() : nullptr;
        if (!T || (LdI ? !LdI->isSimple() || LdI->getPointerOperand() != AI
                       : !StI->isSimple() || StI->getPointerOperand() != AI) ||
            (Ty && T != Ty) ||
            DL.getTypeStoreSize(T) != DL.getTypeAllocSize(AI->getAllocatedType()))
          Plain = false;
        Ty = T;
        In.push_back(I);
      }
      if (!Plain)
        continue;
      IRBuilder<> EB(&*F.getEntryBlock().getFirstInsertionPt());
      AllocaInst *Shadow = EB.CreateAlloca(Ty, nullptr, AI->getName() + ".stmc.reg");
      Shadow->setAlignment(AI->getAlign());
      IRBuilder<> PB(PH->getTerminator());
      LoadInst *Before = PB.CreateLoad(Ty, AI, AI->getName() + ".stmc.in");
      PB.CreateStore(Before, Shadow);
      for (Instruction *I : In) {
        if (auto *LdI = dyn_cast<LoadInst>(I))
          LdI->setOperand(LdI->getPointerOperandIndex(), Shadow);
        else
          cast<StoreInst>(I)->setOperand(StoreInst::getPointerOperandIndex(), Shadow);
      }
      llvm::erase_if(Ops, [&](Instruction *I) { return L->contains(I); });
      Ops.push_back(Before);
      SmallVector<BasicBlock *, 4> Exits;
      L->getUniqueExitBlocks(Exits);
      for (BasicBlock *E : Exits) {
        IRBuilder<> XB(&*E->getFirstInsertionPt());
        Ops.push_back(XB.CreateStore(XB.CreateLoad(Ty, Shadow), AI));
      }
      ++Cnt.LoopLocalRegisters;
      ++NumLoopLocalRegisters;
    }
  }
}

// The locals a retry could see changed.  An atomic block's are restored to their values at the
// block's entry (restoreLocalsAtRetry, -stmc-restore-locals); with =0, and for the program's own
// setjmp, they keep their changed values, as <stmc.h> promised before.  The abort's longjmp
// restores the callee-saved registers saved by the setjmp: a local kept in memory keeps its last
// value, one that an optimisation put in a register goes back to its value at the setjmp (an
// attempt counter would count one).  So (MarkVolatile) a local that the block may change and
// that is read after the setjmp before being overwritten gets volatile loads and stores, which
// no later pass (SROA, mem2reg, GVN) keeps in a register.
// Which locals: stored (or passed on) between the setjmp and the end of the block's
// _stm_atomic_cleanup call, where an abort can still return to the setjmp; and read on some
// path from the setjmp before a store of the whole local.  Locals that the block only reads, or
// sets before it reads them, keep their registers.  Accesses through pointers to a local count
// as its own: derived by GEPs, casts, selects and phis, returned by a call it was passed to
// (`q = id(&c)`), or loaded from a local pointer variable its address was stored into
// (`pp = &c; (*pp)++`: once SROA promotes pp, these are plain accesses of c, which it promoted
// in turn, and the aborted attempts' increments were lost at -O1 and above).  A local whose
// address goes anywhere else (a global, the heap, an integer) is kept.
void FunctionInstrumenter::keepLocalsAcrossRetry(bool MarkVolatile) {
  SmallVector<CallBase *, 4> Setjmps;
  for (Instruction &I : instructions(F))
    if (auto *CB = dyn_cast<CallBase>(&I))
      if (CB->hasFnAttr(Attribute::ReturnsTwice))
        Setjmps.push_back(CB);
  if (Setjmps.empty())
    return;
  // The accesses of each local: instruction -> (local, overwrites it whole).
  struct Use1 {
    AllocaInst *AI;
    bool FullStore;
  };
  DenseMap<Instruction *, SmallVector<Use1, 1>> Uses;
  DenseMap<AllocaInst *, SmallVector<Instruction *, 8>> MemOps; // made volatile if kept
  SmallPtrSet<AllocaInst *, 8> PassedToDefined, PassedOut, Escaped;
  // restored at a block's retry; kept for the program's own setjmp (its value at the longjmp
  // is the one the program sees)
  SmallPtrSet<AllocaInst *, 8> Restored, KeptForSetjmp;
  const DataLayout &DL = F.getDataLayout();
  // The loads of a local pointer variable (pp in `long *pp = &c;`) that an address was stored
  // into: pointers to that address.  False when the address went elsewhere (a global, the
  // heap, a memcpy of the variable): then its accesses cannot all be found.
  auto LoadsOfSlot = [](StoreInst *SI, SmallVectorImpl<std::pair<Value *, bool>> &Ptrs) {
    auto *Slot = dyn_cast<AllocaInst>(getUnderlyingObject(SI->getPointerOperand()));
    if (!Slot)
      return false;
    SmallVector<Value *, 4> Work{Slot};
    SmallPtrSet<Value *, 8> Seen;
    while (!Work.empty()) {
      Value *V = Work.pop_back_val();
      if (!Seen.insert(V).second)
        continue;
      for (User *U : V->users()) {
        if (auto *LI = dyn_cast<LoadInst>(U)) {
          if (!LI->getType()->isPointerTy())
            return false; // the address read as an integer: not followed
          if (!isHeapPtrTy(LI->getType())) // a heap pointer in the slot is not the address
            Ptrs.push_back({LI, false});
        } else if (auto *S2 = dyn_cast<StoreInst>(U)) {
          if (S2->getValueOperand() == V)
            return false; // the variable's own address is passed on
        } else if (isa<GetElementPtrInst>(U) || isa<BitCastInst>(U)) {
          Work.push_back(U);
        } else if (auto *II = dyn_cast<IntrinsicInst>(U)) {
          if (!II->isLifetimeStartOrEnd() && !II->isDebugOrPseudoInst())
            return false;
        } else {
          return false;
        }
      }
    }
    return true;
  };
  for (Instruction &I : instructions(F)) {
    // Every local: fixed-size ones in the entry block, and VLAs and alloca(n) too (whose
    // changes were kept in registers across the retry at -O1 and above).
    auto *AI = dyn_cast<AllocaInst>(&I);
    if (!AI)
      continue;
    std::optional<TypeSize> Size = AI->getAllocationSize(DL);
    SmallVector<std::pair<Value *, bool>, 8> Ptrs{{AI, true}}; // (pointer, is AI itself)
    SmallPtrSet<Value *, 16> Followed;
    while (!Ptrs.empty()) {
      auto [P, Whole] = Ptrs.pop_back_val();
      if (!Followed.insert(P).second)
        continue;
      for (User *U : P->users()) {
        auto *UI = dyn_cast<Instruction>(U);
        if (!UI)
          continue;
        if (auto *II = dyn_cast<IntrinsicInst>(UI))
          if (II->isLifetimeStartOrEnd() || II->isDebugOrPseudoInst())
            continue;
        bool Full = false;
        if (auto *SI = dyn_cast<StoreInst>(UI)) {
          if (SI->getPointerOperand() == P) {
            MemOps[AI].push_back(SI);
            Full = Whole && Size && !Size->isScalable() &&
                   DL.getTypeStoreSize(SI->getValueOperand()->getType()) == *Size;
          } else if (!LoadsOfSlot(SI, Ptrs)) { // the local's address is stored
            Escaped.insert(AI);
          }
        } else if (isa<LoadInst>(UI) || isa<MemIntrinsic>(UI)) {
          MemOps[AI].push_back(UI);
        } else if (isa<GetElementPtrInst>(UI) || isa<BitCastInst>(UI) ||
                   isa<AddrSpaceCastInst>(UI) || isa<SelectInst>(UI) || isa<PHINode>(UI)) {
          Ptrs.push_back({UI, false}); // the accesses through it are recorded, not it
          continue;
        } else if (auto *CB = dyn_cast<CallBase>(UI)) {
          Function *Callee = CB->getCalledFunction();
          if (Callee && !Callee->isDeclaration())
            PassedToDefined.insert(AI); // inlined later, its accesses could be promoted
          else
            PassedOut.insert(AI); // to code the optimiser cannot see: stays in memory
          // It may return the address (`q = id(&c)`); not as a heap pointer, which never
          // points to a local (following one marked the heap accesses through `e =
          // mk(&vals)` volatile, and they were reported as the program's volatile accesses).
          if (CB->getType()->isPointerTy() && !isHeapPtrTy(CB->getType()))
            Ptrs.push_back({CB, false});
        } else {
          Escaped.insert(AI); // ptrtoint and the like: its accesses cannot all be found
        }
        Uses[UI].push_back({AI, Full});
      }
    }
  }
  DominatorTree DT(F);
  // A local whose address escaped may be changed through pointers not followed here: kept.
  SmallPtrSet<AllocaInst *, 8> Kept(Escaped.begin(), Escaped.end());
  SmallVector<LocalRestore, 8> Restores;
  uint64_t Size = F.getInstructionCount(); // a walk of the function: once, not per block
  for (CallBase *C : Setjmps) {
    SmallPtrSet<AllocaInst *, 8> Changed; // stored or passed on where an abort may return
    walkFromSetjmp(C, &DT, [&](Instruction &I) {
      auto It = Uses.find(&I);
      if (It != Uses.end() && !isa<LoadInst>(I))
        for (const Use1 &U : It->second)
          Changed.insert(U.AI);
      return true;
    });
    // One walk per changed local: in a huge function, keep them all instead (correct, and
    // bounded: this is a compile-time cost only).
    bool Walk = (uint64_t)Changed.size() * Size <= (1u << 22);
    // An atomic block's setjmp: the locals a retry could see changed are restored to their
    // values at the block's entry instead (restoreLocalsAtRetry), or only kept (volatile) with
    // -stmc-restore-locals=0.  Another returns-twice call (the program's setjmp): kept.
    bool Block = ClRestoreLocals && callsNamed(*C, "_stm_setjmp");
    SmallVector<AllocaInst *, 4> Restore;
    for (AllocaInst *AI : Changed) {
      if (!Block)
        KeptForSetjmp.insert(AI); // (the program's own setjmp: its value at a longjmp counts)
      if (Kept.count(AI) && !Block)
        continue;
      if (!Walk || Escaped.count(AI)) {
        Kept.insert(AI);
        Restore.push_back(AI);
        continue;
      }
      bool Read = false;
      walkFromSetjmp(C, nullptr, [&](Instruction &I) {
        auto It = Uses.find(&I);
        if (It == Uses.end() || Read)
          return !Read;
        for (const Use1 &U : It->second)
          if (U.AI == AI) {
            if (U.FullStore)
              return false; // overwritten: this path no longer sees the setjmp-time value
            Read = true;
            return false;
          }
        return true;
      });
      if (Read) {
        Kept.insert(AI);
        Restore.push_back(AI);
      }
    }
    if (Block && !Restore.empty()) {
      restoreLocalsAtRetry(C, Restore, MemOps, DT, Restores);
      Restored.insert(Restore.begin(), Restore.end());
    }
  }
  // (after the analysis of every block: the copies change the CFG that DT describes)
  emitRestores(Restores);
  if (!MarkVolatile)
    return;
  SmallVector<AllocaInst *, 8> InRegisters;
  for (AllocaInst *AI : Restored)
    if (!KeptForSetjmp.count(AI) && !Escaped.count(AI) && !PassedOut.count(AI) &&
        !PassedToDefined.count(AI))
      InRegisters.push_back(AI);
  keepInRegisterThroughLoops(InRegisters, MemOps);
  for (AllocaInst *AI : Kept) {
    if (MemOps[AI].empty()) {
      // Only passed to calls.  Where a callee may be inlined, its accesses become the local's:
      // one volatile load keeps SROA from promoting it.  Passed to a declared function too
      // (the block's own frame, passed to the runtime), it stays in memory anyway.
      if (!PassedToDefined.count(AI) || PassedOut.count(AI))
        continue;
      IRBuilder<> B(AI->isStaticAlloca() ? &*F.getEntryBlock().getFirstNonPHIOrDbgOrAlloca()
                                         : AI->getNextNode());
      B.CreateLoad(AI->getAllocatedType(), AI, /*isVolatile=*/true, "stmc.keep");
    }
    for (Instruction *I : MemOps[AI]) {
      if (auto *LI = dyn_cast<LoadInst>(I))
        LI->setVolatile(true);
      else if (auto *SI = dyn_cast<StoreInst>(I))
        SI->setVolatile(true);
      else if (auto *MI = dyn_cast<MemIntrinsic>(I))
        MI->setVolatile(ConstantInt::getTrue(F.getContext()));
    }
    ++Cnt.KeptLocals;
    ++NumKeptLocals;
  }
}

// A global variable (plain memory) that an atomic block reads and then writes: an abort
// does not undo the write, so the block's next attempt reads what the aborted one wrote (a list
// head pushed twice, a counter bumped twice), and other threads see it unisolated.  Warned
// once per block and variable, at the first such store, in the block's own code (this runs
// before inlining) and in the functions of this module that the block calls, directly or
// through other such functions (warned once per function and variable, naming the first block
// seen to call it).  Left out: thread-local and constant variables, volatile and atomic
// accesses (explicitly outside the transaction: a count of what attempts saw), stores that no
// read of the variable dominates (in the block, or in the callee: a block that sets it first
// sets it again when it runs again), calls that make the transaction inevitable first
// (STM_EXTERNAL, library functions) or promise to touch nothing shared (STM_PURE), and what
// such an inevitable call dominates in the block or in a callee (stores, and the block's calls
// to callees): no abort follows it (a block that locks a pthread mutex and then updates the
// globals it guards).  A callee's own calls are followed whatever precedes them.
void FunctionInstrumenter::warnGlobalsUpdatedInBlocks() {
  SmallVector<CallBase *, 4> Setjmps;
  for (Instruction &I : instructions(F))
    if (callsNamed(I, "_stm_setjmp"))
      Setjmps.push_back(cast<CallBase>(&I));
  if (Setjmps.empty())
    return;
  auto Warn = [&](Instruction *St, GlobalVariable *GV, const Twine &Where) {
    bool TLS = GV->isThreadLocal();
    diagnoseAt(DS_Warning, St,
             Twine(TLS ? "the thread-local variable '" : "the global variable '") +
                 GV->getName() + "' is read and then written in " + Where +
                 ": it is plain memory, so an abort does not undo the write and the block's "
                 "next attempt reads the changed value" +
                 (TLS ? " (a block may run again also with one thread: a read-only attempt "
                        "that writes)"
                      : " (and other threads see it without isolation)"),
             TLS ? "keep it in the STM heap (a per-thread heap object), or set it after the "
                   "block from what the block computed"
                 : "keep shared state in the STM heap (stm_alloc); a variable only this thread "
                   "uses may stay if the block sets it instead of updating it");
  };
  DominatorTree DT(F);
  for (CallBase *C : Setjmps) {
    GlobalAccesses GA; // in walk order
    SmallVector<std::pair<CallBase *, Function *>, 4> Calls; // to callees in the transaction
    walkFromSetjmp(C, &DT, [&](Instruction &I) {
      if (!GA.add(I, CC))
        if (auto *CB = dyn_cast<CallBase>(&I))
          if (Function *G = CGU.calleeInTransaction(CB))
            Calls.push_back({CB, G});
      return true;
    });
    for (auto &[GV, St] : GA.readThenWritten(DT))
      Warn(St, GV, "an atomic block");
    // A callee called only after the block became inevitable cannot see an abort either (its
    // own callees are followed whoever calls them: a function reached both ways is warned).
    SmallVector<Function *, 4> Callees;
    SmallPtrSet<Function *, 8> Seen = {&F}; // F's own updates: the block's are above
    for (auto &[CB, G] : Calls)
      if (!GA.afterInevitable(DT, CB) && Seen.insert(G).second)
        Callees.push_back(G);
    // The callees, breadth first (a worklist that grows as it is walked).
    for (size_t K = 0; K < Callees.size(); ++K) {
      Function *G = Callees[K];
      for (auto &[GV, St] : CGU.updatesIn(*G))
        if (CGU.firstWarning(G, GV))
          Warn(St, GV, "'" + G->getName() + "', which the atomic block at " + locationOf(C) +
                           " calls");
      for (Instruction &I : instructions(*G))
        if (auto *CB = dyn_cast<CallBase>(&I))
          if (Function *H = CGU.calleeInTransaction(CB); H && Seen.insert(H).second)
            Callees.push_back(H);
    }
  }
}

static bool hasLoop(Function &Fn) {
  SmallVector<std::pair<const BasicBlock *, const BasicBlock *>, 4> Edges;
  FindFunctionBackedges(Fn, Edges);
  return !Edges.empty();
}

// A function that calls setjmp (one with an atomic block) is optimised worse: its loops carry
// extra register copies (bank's audit loop, inlined into the worker with the blocks: 11.6
// instructions an account against 7.5 out of line, callgrind).  So a call from such a function to a defined
// function with a loop is kept out of line (a noinline call site), unless the callee is
// always_inline; its loop is then optimised as in any other function.
void FunctionInstrumenter::keepLoopsOutOfLine() {
  DenseMap<Function *, bool> HasLoop; // each callee's CFG walked once
  for (Instruction &I : instructions(F)) {
    auto *CB = dyn_cast<CallBase>(&I);
    Function *Callee = CB ? CB->getCalledFunction() : nullptr;
    if (!Callee || Callee->isDeclaration() || Callee == &F || CB->isNoInline() ||
        Callee->hasFnAttribute(Attribute::AlwaysInline))
      continue;
    auto [It, New] = HasLoop.try_emplace(Callee, false);
    if (New)
      It->second = hasLoop(*Callee);
    if (!It->second)
      continue;
    CB->setIsNoInline();
    ++Cnt.OutlinedCalls;
    ++NumOutlinedCalls;
  }
}

void FunctionInstrumenter::promote(FunctionAnalysisManager &FAM) {
  if (!ClPromote || F.hasOptNone())
    return;
  // Across setjmp (STM_ATOMIC) a local changed in an atomic body must keep its value when an
  // abort longjmps back: keepLocalsAcrossRetry, which ran first, made those volatile or gave
  // them a saved copy (a memcpy), and neither is promotable.  The rest are promoted here, as
  // the pipeline's SROA would a moment later (-stmc-promote-block-locals=0: only allocas
  // stored once in the entry block, the rule before, which left the block's pointers and
  // induction variables in memory for the analyses below).
  bool ReturnsTwice = F.callsFunctionThatReturnsTwice();
  SmallVector<AllocaInst *, 16> Allocas;
  for (Instruction &I : F.getEntryBlock())
    if (auto *AI = dyn_cast<AllocaInst>(&I))
      if (isAllocaPromotable(AI) &&
          (!ReturnsTwice || isStoredOnceInEntry(AI) || (ClPromoteBlockLocals && ClKeepLocals)))
        Allocas.push_back(AI);
  if (!Allocas.empty()) {
    DominatorTree DT(F);
    AssumptionCache AC(F);
    PromoteMemToReg(Allocas, DT, &AC);
  }
  // EarlyCSE, as the pipeline runs a moment later: repeated loads of the same global heap
  // pointer become one value, so the elisions see one base.
  // SimplifyCFG first: the frontend's short-circuit conditions merge in a phi that is branched
  // on, so a load in the condition does not dominate the same load in the loop body
  // (while (n && n->key != k) n = k < n->key ? ...): threaded, one load and one barrier.
  if (ClEarlyCSE && !ReturnsTwice) {
    FAM.invalidate(F, PreservedAnalyses::none());
    if (ClSimplifyCFG) {
      SimplifyCFGPass().run(F, FAM);
      FAM.invalidate(F, PreservedAnalyses::none());
    }
    EarlyCSEPass(false).run(F, FAM);
    FAM.invalidate(F, PreservedAnalyses::none());
  }
}

// addrspacecast 256 -> 0: flat = base + offset (null stays null); 0 -> 256: offset = flat -
// base.  LLVM would otherwise emit a plain move, pointing at different memory.
// Arguments that a function hands on untouched, to a thread or a callback it starts: a heap
// pointer cast to void * for them is the way to pass it there (the receiver casts it back,
// _stm_heap_from_flat), not an access that the transaction misses.
static bool isPassThroughArg(const CallBase &CB, unsigned ArgNo) {
  const Function *Fn = CB.getCalledFunction();
  if (!Fn)
    return false;
  static const std::pair<StringRef, unsigned> Table[] = {
      {"pthread_create", 3}, {"thrd_create", 2},   {"pthread_setspecific", 1},
      {"tss_set", 1},        {"stm_on_commit", 1}, {"stm_on_abort", 1},
      {"stm_atomic", 1}};
  for (const auto &[Name, No] : Table)
    if (Fn->getName() == Name && ArgNo == No)
      return true;
  // A declaration's !callback metadata (`__attribute__((callback(fn, arg)))`: a thread pool's
  // submit) names the arguments it hands to its callback.
  return llvm::any_of(callbackEncodings(*Fn), [&](const CallbackEncoding &E) {
    return llvm::is_contained(E.Args, (int64_t)ArgNo);
  });
}

// Every use of a heap pointer cast to a plain one is such an argument (or a plain comparison).
static bool onlyPassedThrough(const Value *Cast) {
  for (const Use &U : Cast->uses()) {
    const auto *CB = dyn_cast<CallBase>(U.getUser());
    if (CB && CB->isArgOperand(&U) && isPassThroughArg(*CB, CB->getArgOperandNo(&U)))
      continue;
    if (isa<ICmpInst>(U.getUser()))
      continue;
    return false;
  }
  return true;
}

// The warning about a heap pointer cast to a plain one that is not only passed through.
static void warnFlatCast(Instruction *At) {
  diagnoseAt(DS_Warning, At,
           "STM heap pointer cast to a plain pointer: accesses through it are not tracked by "
           "the transaction",
           "keep the STM_HEAP pointer, or bracket the plain accesses with stm_read()/stm_write()");
}

// Warns about each heap-to-plain cast instruction the frontend emitted, before promote():
// its EarlyCSE merges the casts of one pointer value into the first, and at -O1 and above
// only that one was warned about (casts at -O0 are never merged).  Their uses are then the
// frontend's too (a value kept in a local variable is stored to an alloca), as at -O0, so
// both levels warn about the same casts.
// A memcpy, memmove or memset of a few constant bytes on the heap (a struct assignment
// `*p = *q`, a swap through a local, `memset(p, 0, sizeof *p)`) becomes loads and then stores
// of 8, 4, 2 and 1 bytes, which collect() instruments like any access: inline barriers, one a
// granule after the elisions, instead of an _stm_memcpy_* call that enters the runtime and
// marks the ranges there (a 48-byte swap of two heap structs cost 732 instructions against
// 32 in plain C).  All loads come before all stores, so an overlapping memmove copies what
// was there.  Done first, so that promote()'s SROA can put a local temporary in registers.
// Volatile ones keep the call (the runtime's copy makes each access once).
void FunctionInstrumenter::scalarizeSmallMemIntrinsics() {
  if (!ClScalarizeMem)
    return;
  SmallVector<MemIntrinsic *, 8> Todo;
  for (Instruction &I : instructions(F)) {
    auto *MI = dyn_cast<MemIntrinsic>(&I);
    if (!MI || MI->isVolatile())
      continue;
    auto *Len = dyn_cast<ConstantInt>(MI->getLength());
    if (!Len || Len->isZero() || Len->getZExtValue() > ClScalarizeMem)
      continue;
    auto *MT = dyn_cast<MemTransferInst>(MI);
    if (isHeapPtrTy(MI->getRawDest()->getType()) ||
        (MT && isHeapPtrTy(MT->getRawSource()->getType())))
      Todo.push_back(MI);
  }
  for (MemIntrinsic *MI : Todo) {
    IRBuilder<> B(MI);
    uint64_t N = cast<ConstantInt>(MI->getLength())->getZExtValue();
    Value *Dst = MI->getRawDest();
    Align DstAlign = MI->getDestAlign().valueOrOne();
    // the pieces: offset and width, widest first at each offset
    SmallVector<std::pair<uint64_t, unsigned>, 8> Pieces;
    for (uint64_t Off = 0; Off < N;) {
      unsigned W = N - Off >= 8 ? 8 : N - Off >= 4 ? 4 : N - Off >= 2 ? 2 : 1;
      Pieces.push_back({Off, W});
      Off += W;
    }
    SmallVector<Value *, 8> Vals;
    if (auto *MT = dyn_cast<MemTransferInst>(MI)) {
      Value *Src = MT->getRawSource();
      Align SrcAlign = MT->getSourceAlign().valueOrOne();
      for (auto [Off, W] : Pieces) {
        Value *P = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Src, Off);
        Vals.push_back(B.CreateAlignedLoad(B.getIntNTy(8 * W), P,
                                           commonAlignment(SrcAlign, Off)));
      }
    } else {
      Value *Byte = cast<MemSetInst>(MI)->getValue();
      for (auto [Off, W] : Pieces) {
        (void)Off;
        Type *T = B.getIntNTy(8 * W);
        Value *Splat = B.CreateZExt(Byte, T);
        if (W > 1) // the byte in each of the W bytes: times 0x0101...01
          Splat = B.CreateMul(Splat, ConstantInt::get(T, APInt::getSplat(8 * W, APInt(8, 1))));
        Vals.push_back(Splat);
      }
    }
    for (size_t K = 0; K < Pieces.size(); K++) {
      Value *P = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Dst, Pieces[K].first);
      B.CreateAlignedStore(Vals[K], P, commonAlignment(DstAlign, Pieces[K].first));
    }
    MI->eraseFromParent();
    ++Cnt.ScalarizedMem;
    ++NumScalarizedMem;
  }
}

void FunctionInstrumenter::warnFlatCasts() {
  for (Instruction &I : instructions(F))
    if (auto *AC = dyn_cast<AddrSpaceCastInst>(&I))
      if (isHeapPtrTy(AC->getSrcTy()) && AC->getDestTy()->getPointerAddressSpace() == 0 &&
          !onlyPassedThrough(AC))
        warnFlatCast(AC);
}

bool FunctionInstrumenter::rewriteCasts() {
  // Constant-expression casts used by instructions become instructions first (warned here:
  // warnFlatCasts saw only instructions).
  SmallPtrSet<Instruction *, 4> FromCE;
  SmallVector<std::pair<Instruction *, unsigned>, 4> CEUses;
  for (Instruction &I : instructions(F)) {
    if (isa<PHINode>(I))
      continue;
    for (unsigned Op = 0; Op < I.getNumOperands(); ++Op)
      if (auto *CE = dyn_cast<ConstantExpr>(I.getOperand(Op)))
        if (CE->getOpcode() == Instruction::AddrSpaceCast &&
            (isHeapPtrTy(CE->getType()) || isHeapPtrTy(CE->getOperand(0)->getType())))
          CEUses.push_back({&I, Op});
  }
  for (auto &[I, Op] : CEUses) {
    auto *CE = cast<ConstantExpr>(I->getOperand(Op));
    Instruction *NI = CE->getAsInstruction();
    NI->insertBefore(I->getIterator());
    NI->setDebugLoc(I->getDebugLoc()); // the site of the cast, for diagnostics
    I->setOperand(Op, NI);
    FromCE.insert(NI);
  }

  SmallVector<AddrSpaceCastInst *, 4> Casts;
  bool CFGChanged = false;
  for (Instruction &I : instructions(F))
    if (auto *AC = dyn_cast<AddrSpaceCastInst>(&I))
      if (isHeapPtrTy(AC->getSrcTy()) || isHeapPtrTy(AC->getDestTy()))
        Casts.push_back(AC);
  for (AddrSpaceCastInst *AC : Casts) {
    IRBuilder<> B(AC);
    bool ToFlat = isHeapPtrTy(AC->getSrcTy());
    if (ToFlat && AC->getDestTy()->getPointerAddressSpace() != 0)
      continue;
    if (!ToFlat && AC->getSrcTy()->getPointerAddressSpace() != 0)
      continue;
    Value *Base = A.loadMeta(B, A.I64Ty, A.gsAddr(STMC_HDR_BASE), "stmc.base");
    Value *Res;
    if (ToFlat) {
      Value *Off = B.CreatePtrToInt(AC->getPointerOperand(), A.I64Ty);
      Value *Flat = B.CreateIntToPtr(B.CreateAdd(Base, Off), AC->getDestTy());
      Res = B.CreateSelect(B.CreateICmpEQ(Off, ConstantInt::get(A.I64Ty, 0)),
                           Constant::getNullValue(AC->getDestTy()), Flat, "stmc.flat");
      FlatFromHeap.insert(Res);
      if (FromCE.count(AC) && !onlyPassedThrough(AC))
        warnFlatCast(AC);
    } else {
      // An address in the running thread's segment (below its end) inline, one compare;
      // the rest in the runtime: null, an address of another segment (a heap pointer that
      // another thread cast to a plain one and passed on), anything else kept as it is (a
      // sentinel such as (void *)1).
      Value *Flat = B.CreatePtrToInt(AC->getPointerOperand(), A.I64Ty);
      Value *D = B.CreateSub(Flat, Base);
      Value *Elsewhere = B.CreateICmpUGE(D, ConstantInt::get(A.I64Ty, STMC_SEG_SIZE),
                                         "stmc.elsewhere");
      MDBuilder MDB(A.C);
      Instruction *Then = SplitBlockAndInsertIfThen(Elsewhere, AC, false,
                                                    MDB.createBranchWeights(1, 1000));
      BasicBlock *Head = Then->getParent()->getSinglePredecessor();
      IRBuilder<> SB(Then);
      CallInst *Slow = A.callAbi(SB, Abi__stm_heap_from_flat, {Flat});
      B.SetInsertPoint(AC);
      PHINode *OffV = B.CreatePHI(A.I64Ty, 2, "stmc.off");
      OffV->addIncoming(D, Head);
      OffV->addIncoming(Slow, Then->getParent());
      Res = B.CreateIntToPtr(OffV, AC->getDestTy(), "stmc.heap");
      CFGChanged = true;
    }
    ++Cnt.Casts;
    AC->replaceAllUsesWith(Res);
    AC->eraseFromParent();
  }
  return CFGChanged;
}

static bool isInternal(const Instruction &I) { return I.getMetadata("stmc.internal"); }

// Atomic operations and fences end the implicit transaction outside atomic blocks
// (_stm_sync): before one on plain memory, so that what it releases includes the heap writes
// before it; after one on the heap, so that it is published itself (a spin on a heap flag
// waits for it).  Either way the heap reads after it start afresh (acquire).  Inserted before
// collect(), so that the elisions see the call as the boundary it is.  Signal fences
// (singlethread scope) and unordered accesses order nothing between threads.
void FunctionInstrumenter::syncAtomics() {
  SmallVector<std::pair<Instruction *, bool>, 8> Points; // the operation, on the heap
  for (Instruction &I : instructions(F)) {
    bool OnHeap, Relaxed = false;
    if (isInternal(I))
      continue;
    if (isSyncPoint(I, OnHeap, &Relaxed))
      Points.push_back({&I, OnHeap});
    else if (Relaxed)
      ++Cnt.RelaxedNoSync;
  }
  for (auto &[I, OnHeap] : Points) {
    IRBuilder<> B(OnHeap ? I->getNextNode() : I);
    A.callAbi(B, Abi__stm_sync, {A.site(I)});
    ++Cnt.AtomicSyncs;
    ++NumAtomicSyncs;
  }
}

// Whether an atomic access of Size bytes is lowered inline on x86-64 (where a %gs operand
// works): up to 8 bytes always, 16 with cmpxchg16b (-mcx16, -march=x86-64-v2 and later).
bool FunctionInstrumenter::lockFreeOnTarget(uint64_t Size) const {
  if (Size <= 8)
    return true;
  if (Size != 16)
    return false;
  Attribute FA = F.getFnAttribute("target-features");
  return FA.isValid() && FA.getValueAsString().contains("+cx16");
}

void FunctionInstrumenter::collect() {
  const DataLayout &DL = A.DL;
  for (Instruction &I : instructions(F)) {
    if (isInternal(I))
      continue;
    Value *Ptr = nullptr;
    Type *Ty = nullptr;
    bool IsWrite = false, IsVolatile = false;
    Align Al(1);
    if (auto *LI = dyn_cast<LoadInst>(&I)) {
      Ptr = LI->getPointerOperand();
      Ty = LI->getType();
      Al = LI->getAlign();
      IsVolatile = LI->isVolatile();
    } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
      Ptr = SI->getPointerOperand();
      Ty = SI->getValueOperand()->getType();
      Al = SI->getAlign();
      IsWrite = true;
      IsVolatile = SI->isVolatile();
    } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
      Ptr = RMW->getPointerOperand();
      Ty = RMW->getValOperand()->getType();
      Al = RMW->getAlign();
      IsWrite = true;
      IsVolatile = RMW->isVolatile();
    } else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
      Ptr = CX->getPointerOperand();
      Ty = CX->getNewValOperand()->getType();
      Al = CX->getAlign();
      IsWrite = true;
      IsVolatile = CX->isVolatile();
    } else if (auto *II = dyn_cast<IntrinsicInst>(&I); II && maskedHeapAccess(II, Ptr, Ty)) {
      // A masked (or expanding/compressing) vector access: the barrier covers every lane,
      // masked off or not (a lane written back unchanged is tracked like any write: its
      // granule is also read-marked, so a concurrent commit to it aborts one side).
      IsWrite = II->getIntrinsicID() == Intrinsic::masked_store ||
                II->getIntrinsicID() == Intrinsic::masked_compressstore;
    } else if (auto *CB = dyn_cast<CallBase>(&I)) {
      if (auto *II = dyn_cast<IntrinsicInst>(CB); II && untrackedHeapIntrinsic(II)) {
        diagnoseAt(DS_Error, CB,
                 "the intrinsic '" + II->getCalledFunction()->getName() +
                     "' accesses memory through an STM heap pointer, which stmc does not "
                     "instrument (it would get no barrier, or reach a plain address)",
                 "copy the data to plain memory first (memcpy from the STM_HEAP pointer is "
                 "instrumented), use the builtin there, and copy the result back");
        continue;
      }
      if (CB->isInlineAsm()) {
        for (Value *Arg : CB->args())
          if (isHeapPtrTy(Arg->getType())) {
            diagnoseAt(DS_Warning, CB,
                     "inline asm operand is an STM heap pointer: the asm's memory accesses "
                     "get no barrier and %gs is not applied",
                     "call stm_read()/stm_write() on the range before the asm, and address "
                     "it through %gs in the asm");
            break;
          }
        continue;
      }
      if (auto *CI = dyn_cast<CallInst>(CB)) {
        if (auto *Callee = CI->getCalledFunction()) {
          Intrinsic::ID IID = Callee->getIntrinsicID();
          if (IID == Intrinsic::memcpy || IID == Intrinsic::memcpy_inline ||
              IID == Intrinsic::memmove || IID == Intrinsic::memset ||
              IID == Intrinsic::memset_inline) {
            if (isHeapPtrTy(CI->getArgOperand(0)->getType()) ||
                (IID != Intrinsic::memset && IID != Intrinsic::memset_inline &&
                 isHeapPtrTy(CI->getArgOperand(1)->getType())))
              MemIntrinsics.push_back(CI);
            else
              UserMemOps.push_back(CI);
            continue;
          }
        }
      }
      if (CC.isLibraryCall(CB)) {
        unsigned Fixed = CB->getFunctionType()->getNumParams();
        for (unsigned K = 0; K < CB->arg_size() && K < Fixed; ++K)
          if (isHeapPtrTy(CB->getArgOperand(K)->getType()->getScalarType())) {
            // The C library would dereference the offset as a plain address (a fault), and
            // the backend expands some calls (memcmp(...) == 0 of a constant size) into
            // %gs loads without a read barrier: untracked reads, silently.
            // Known to stmc only as declared in a system header: perhaps a library built
            // with stmc whose header came in through -isystem.
            const Function *Callee = calleeOf(CB);
            bool OnlySystem = !CC.isKnownLibFunction(*Callee, F);
            diagnoseAt(DS_Error, CB,
                     "an STM heap pointer is passed to the library function '" +
                         Callee->getName() +
                         "', which stmc did not compile: it can neither reach the heap "
                         "through %gs nor track the accesses",
                     OnlySystem
                         ? Twine("it is declared in a system header; if it comes from a library "
                                 "built with stmc, include that library's header with -I, not "
                                 "-isystem")
                         : Twine(CopyOutHint) +
                               ", or compare/scan the heap data in your own code");
            break;
          }
      }
      if (ClWrapExternal && CC.isExternal(CB)) {
        ExternalCalls.push_back(CB);
        warnHeapVarArgs(CB);
        for (const Use &ArgU : CB->args())
          if (FlatFromHeap.count(getUnderlyingObject(ArgU.get())) &&
              !isPassThroughArg(*CB, CB->getArgOperandNo(&ArgU))) {
            std::string Name = calleeOf(CB)->getName().str();
            if (StringRef(Name).starts_with("__atomic_"))
              // clang 22 casts _Atomic heap data that is not lock-free to a plain pointer
              // for libatomic (clang 19 emits an invalid bitcast, diagnosed in collect):
              // the access would reach the segment, untracked.
              diagnoseAt(DS_Error, CB,
                       "_Atomic heap data that is not lock-free is accessed through libatomic ('" +
                           Name + "') with a plain pointer: the access is not tracked",
                       DropAtomicHint);
            else
              diagnoseAt(DS_Warning, CB,
                       "a plain pointer made from an STM heap pointer is passed to '" + Name +
                           "', which stmc did not compile: its accesses are not tracked",
                       CopyOutHint);
          }
      }
      continue;
    }
    if (auto *BC = dyn_cast<BitCastInst>(&I))
      if (BC->getSrcTy()->isPtrOrPtrVectorTy() && BC->getDestTy()->isPtrOrPtrVectorTy() &&
          isHeapPtrTy(BC->getSrcTy()->getScalarType()) !=
              isHeapPtrTy(BC->getDestTy()->getScalarType()))
        // clang emits this (invalid) cast for an _Atomic object wider than 16 bytes, whose
        // accesses go to libatomic's __atomic_load/__atomic_store with a plain pointer.
        diagnoseAt(DS_Error, &I,
                 "an STM heap pointer is cast to another address space without "
                 "addrspacecast (clang does so for _Atomic objects that are not lock-free, "
                 "which libatomic would access through a plain pointer)",
                 DropAtomicHint);
    if (!Ptr)
      continue;
    if (!isHeapPtrTy(Ptr->getType())) {
      UserMemOps.push_back(&I);
      continue;
    }
    if (I.isAtomic()) {
      // Both go to libatomic, whose plain pointer cannot reach the heap: a size that is not
      // lock-free, and (AtomicExpand) an alignment below the size, also where the size is (an
      // _Atomic member of a packed struct).
      uint64_t ASize = DL.getTypeStoreSize(Ty).getKnownMinValue();
      if (!lockFreeOnTarget(ASize)) {
        diagnoseAt(DS_Error, &I,
                 "atomic access of " + Twine(ASize) +
                     " bytes to the STM heap: not lock-free on this target, so the backend "
                     "calls libatomic with a plain pointer that cannot reach the heap",
                 Twine(DropAtomicHint) + "; for 16 bytes, -mcx16 also does");
        continue;
      }
      if (Al.value() < ASize) {
        diagnoseAt(DS_Error, &I,
                 "misaligned atomic access to the STM heap (" + Twine(ASize) +
                     " bytes aligned to " + Twine(Al.value()) +
                     "): the backend calls libatomic with a plain pointer that cannot reach "
                     "the heap",
                 Twine(DropAtomicHint) + ", or align it (no packed struct around it)");
        continue;
      }
    }
    if (IsVolatile)
      diagnoseAt(DS_Warning, &I,
               "volatile access to the STM heap: it is instrumented like any access; "
               "volatile neither publishes it before commit nor exempts it from rollback",
               "use a transaction (or stm_on_commit) for cross-thread signalling");
    TypeSize TS = DL.getTypeStoreSize(Ty);
    if (TS.isScalable()) {
      diagnoseAt(DS_Error, &I, "scalable vector access to the STM heap",
               "use fixed-size vectors");
      continue;
    }
    uint64_t Size = TS.getFixedValue();
    bool MaySpan = true;
    if (Size <= 1)
      MaySpan = false;
    else if (Size <= STMC_GRANULE && isPowerOf2_64(Size) && Al.value() >= Size)
      MaySpan = false;
    else if (Size <= STMC_GRANULE && Al.value() >= STMC_GRANULE)
      MaySpan = false;
    AccessIndex[&I] = Accesses.size();
    Accesses.push_back({&I, Ptr, Size, IsWrite, MaySpan});
    if (ClCheckImmutableWrites && isa<StoreInst>(I) && ImmutableStores.count(&I))
      Accesses.back().ImmutableStore = true;
    UserMemOps.push_back(&I);
  }
}

// Decides (a) same granule, (b) read after write, (c) fresh allocation and the immutable
// loads, in one forward scan per extended basic block (a block inherits the state of its
// unique predecessor, which dominates it with nothing in between).
void FunctionInstrumenter::analyseElisions(DominatorTree &DT) {
  const DataLayout &DL = A.DL;
  SmallPtrSet<BasicBlock *, 8> BackedgeSources;
  for (auto &E : Backedges)
    BackedgeSources.insert(E.first->getParent());
  ReversePostOrderTraversal<Function *> RPOT(&F);

  // (c) is a must-analysis over the whole CFG: an object is fresh at a point when its
  // stm_alloc lies on every path to it with no boundary after it.  A safe point does not kill
  // freshness: after its slow path the objects are put back in the write set.
  using FreshSet = SmallPtrSet<const Value *, 4>;
  DenseMap<BasicBlock *, FreshSet> FreshIn, FreshOut;
  auto Transfer = [&](BasicBlock *BB, FreshSet S) {
    for (Instruction &I : *BB)
      if (auto *CB = dyn_cast<CallBase>(&I)) {
        if (CC.isAlloc(CB))
          S.insert(CB);
        else if (!CC.isNonBoundary(CB))
          S.clear();
      }
    return S;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (BasicBlock *BB : RPOT) {
      FreshSet In;
      bool First = true;
      for (BasicBlock *P : predecessors(BB)) {
        auto It = FreshOut.find(P);
        if (It == FreshOut.end())
          continue; // not computed yet: top
        if (First) {
          In = It->second;
          First = false;
        } else {
          SmallVector<const Value *, 4> Drop;
          for (const Value *V : In)
            if (!It->second.count(V))
              Drop.push_back(V);
          for (const Value *V : Drop)
            In.erase(V);
        }
      }
      FreshSet NewOut = Transfer(BB, In);
      FreshIn[BB] = In;
      auto It = FreshOut.find(BB);
      if (It == FreshOut.end() || It->second.size() != NewOut.size() ||
          !llvm::all_of(NewOut, [&](const Value *V) { return It->second.count(V); })) {
        FreshOut[BB] = NewOut;
        Changed = true;
      }
    }
  }

  DenseMap<BasicBlock *, BlockState> Out;
  for (BasicBlock *BB : RPOT) {
    BlockState S;
    if (BasicBlock *Pred = BB->getSinglePredecessor())
      if (Pred != BB && DT.dominates(Pred, BB)) {
        auto It = Out.find(Pred);
        if (It != Out.end()) {
          S.Cov = It->second.Cov;
          S.LastRead = It->second.LastRead;
        }
      }
    S.Fresh = FreshIn[BB];
    SmallVector<unsigned, 8> BlockReads; // unelided reads of this block since the last call
    for (Instruction &I : *BB) {
      if (auto *CB = dyn_cast<CallBase>(&I)) {
        // Any call but a plain intrinsic may change RV (start, commit, a safe point inside).
        // (__builtin_setjmp's second return too: a review found the RV loaded before it
        // reused after it, when the code before its longjmp had ended the transaction)
        auto *II = dyn_cast<IntrinsicInst>(CB);
        if (!II || isa<MemIntrinsic>(II) || CallClassifier::isSjLj(CB))
          S.LastRead = -1;
        if (CC.isAlloc(CB)) {
          S.Cov.clear();
          S.Fresh.insert(CB);
          BlockReads.clear();
        } else if (!CC.isNonBoundary(CB)) {
          S.Cov.clear();
          S.Fresh.clear();
          BlockReads.clear();
        }
        continue;
      }
      auto It = AccessIndex.find(&I);
      if (It == AccessIndex.end())
        continue;
      Access &Acc = Accesses[It->second];
      if (!Acc.IsWrite && ReadOnlyClone) {
        Acc.Elide = ElideKind::ReadOnlyClone;
        continue;
      }
      if (!Acc.IsWrite && ClElideImmutable && ImmutableLoads.count(&I)) {
        Acc.Elide = ElideKind::Immutable;
        continue;
      }
      if (Acc.ImmutableStore) {
        // Its runtime call writes like _stm_write_slow: it covers later accesses, but nothing
        // (fresh allocation included) elides it.
        APInt OffAP(DL.getIndexTypeSizeInBits(Acc.Ptr->getType()), 0);
        Acc.Base = Acc.Ptr->stripAndAccumulateConstantOffsets(DL, OffAP, true);
        Acc.Off = OffAP.getSExtValue();
        S.Cov.push_back({Acc.Base, Acc.Off, Acc.Size, true});
        continue;
      }
      if (ClElideFresh && S.Fresh.count(getUnderlyingObject(Acc.Ptr))) {
        Acc.Elide = ElideKind::Fresh;
        continue;
      }
      APInt OffAP(DL.getIndexTypeSizeInBits(Acc.Ptr->getType()), 0);
      const Value *Base = Acc.Ptr->stripAndAccumulateConstantOffsets(DL, OffAP, true);
      int64_t Off = OffAP.getSExtValue();
      Acc.Base = Base;
      Acc.Off = Off;
      bool BaseAligned = Base->getPointerAlignment(DL).value() >= STMC_GRANULE;
      for (const Covered &Cv : S.Cov) {
        if (Cv.Base != Base || (Acc.IsWrite && !Cv.IsWrite))
          continue;
        bool Inside = Off >= Cv.Off && Off + (int64_t)Acc.Size <= Cv.Off + (int64_t)Cv.Size;
        // With a 16-aligned base, granules are known from offsets alone.
        bool SameGranules = false;
        if (BaseAligned && Acc.Size > 0 && Cv.Size > 0) {
          int64_t G0 = Off >> 4, G1 = (Off + (int64_t)Acc.Size - 1) >> 4;
          int64_t C0 = Cv.Off >> 4, C1 = (Cv.Off + (int64_t)Cv.Size - 1) >> 4;
          SameGranules = G0 >= C0 && G1 <= C1;
        }
        if (!Inside && !SameGranules)
          continue;
        if (!Acc.IsWrite && Cv.IsWrite) {
          if (ClElideReadAfterWrite) {
            Acc.Elide = ElideKind::ReadAfterWrite;
            break;
          }
          continue;
        }
        if (ClElideSameGranule) {
          Acc.Elide = ElideKind::SameGranule;
          break;
        }
      }
      if (Acc.Elide == ElideKind::None && Acc.IsWrite && ClElideReadBeforeWrite &&
          isa<StoreInst>(Acc.I)) {
        for (unsigned K = 0; K < BlockReads.size(); ++K) {
          Access &R = Accesses[BlockReads[K]];
          if (R.Base != Base || R.Off != Off || R.Size != Acc.Size)
            continue;
          R.IsWrite = true;
          R.Upgraded = true;
          R.MaySpan |= Acc.MaySpan;
          for (Covered &Cv : S.Cov)
            if (Cv.Base == Base && Cv.Off == Off && Cv.Size == Acc.Size)
              Cv.IsWrite = true;
          Acc.Elide = ElideKind::ReadBeforeWrite;
          BlockReads.erase(BlockReads.begin() + K);
          break;
        }
      }
      if (Acc.Elide == ElideKind::None) {
        S.Cov.push_back({Base, Off, Acc.Size, Acc.IsWrite});
        if (!Acc.IsWrite) {
          BlockReads.push_back(It->second);
          if (ClShareRV) {
            Acc.RVFrom = S.LastRead;
            S.LastRead = (int)It->second;
          }
        }
      }
    }
    // A safe point sits at the end of a back-edge source: no covered granule flows past it;
    // fresh objects are re-registered after its slow path.
    if (ClSafepoints && BackedgeSources.count(BB)) {
      S.Cov.clear();
      S.LastRead = -1;
      if (ClElideFresh)
        for (auto &E : Backedges)
          if (E.first->getParent() == BB)
            for (const Value *V : S.Fresh)
              SafepointFresh[E.first].push_back(const_cast<CallBase *>(cast<CallBase>(V)));
    }
    Out[BB] = std::move(S);
  }
}

// (d): barriers on loop-invariant addresses in innermost loops without calls move to the
// preheader when the access runs on every iteration (its block dominates every exit and
// latch), so the hoisted barrier is never speculative.
void FunctionInstrumenter::analyseLoops(DominatorTree &DT, LoopInfo &LI) {
  if (!ClElideLoopInvariant)
    return;
  for (Loop *L : LI.getLoopsInPreorder()) {
    if (!L->isInnermost())
      continue;
    BasicBlock *PH = L->getLoopPreheader();
    if (!PH)
      continue;
    bool Clean = true;
    for (BasicBlock *BB : L->blocks()) {
      for (Instruction &I : *BB)
        if (auto *CB = dyn_cast<CallBase>(&I))
          if (!CC.isNonBoundary(CB) || CC.isAlloc(CB)) {
            Clean = false;
            break;
          }
      if (!Clean)
        break;
    }
    // Every safe point inside the loop must be on a back-edge to this header, where the
    // hoisted barriers are redone after the slow path.
    for (auto &E : Backedges)
      if (L->contains(E.first->getParent()) && E.second != L->getHeader())
        Clean = false;
    if (!Clean)
      continue;
    SmallVector<BasicBlock *, 4> Exiting, Latches;
    L->getExitingBlocks(Exiting);
    L->getLoopLatches(Latches);
    for (BasicBlock *BB : L->blocks()) {
      bool Always = true;
      for (BasicBlock *E : Exiting)
        Always &= DT.dominates(BB, E);
      for (BasicBlock *Lt : Latches)
        Always &= DT.dominates(BB, Lt);
      for (Instruction &I : *BB) {
        auto It = AccessIndex.find(&I);
        if (It == AccessIndex.end())
          continue;
        Access &Acc = Accesses[It->second];
        if (Acc.Elide != ElideKind::None || Acc.ImmutableStore)
          continue;
        APInt OffAP(A.DL.getIndexTypeSizeInBits(Acc.Ptr->getType()), 0);
        Value *Base = Acc.Ptr->stripAndAccumulateConstantOffsets(A.DL, OffAP, true);
        int64_t Off = OffAP.getSExtValue();
        if (!L->isLoopInvariant(Base))
          continue;
        if (!Always) {
          // The access may not run on every iteration (the body of an unrotated for loop):
          // hoisting would be speculative, so the barrier stays in place but runs once per
          // loop entry, guarded by a flag that the preheader and the safe points clear.
          if (!ClLoopOnce)
            continue;
          unsigned Idx = Onces.size();
          for (unsigned K = 0; K < Onces.size(); ++K) {
            OnceBarrier &O = Onces[K];
            if (O.Header == L->getHeader() && O.Base == Base && O.Off == Off &&
                O.Size == Acc.Size && O.IsWrite == Acc.IsWrite && O.MaySpan == Acc.MaySpan)
              Idx = K;
          }
          if (Idx == Onces.size()) {
            Onces.push_back({L->getHeader(), Base, Off, Acc.Size, Acc.IsWrite, Acc.MaySpan,
                             nullptr});
            PreheaderTerm[L->getHeader()] = PH->getTerminator();
          }
          OnceOf[Acc.I] = Idx;
          Acc.Elide = ElideKind::Hoisted;
          continue;
        }
        auto &List = Hoisted[L->getHeader()];
        bool Merged = false;
        for (HoistedBarrier &H : List)
          if (H.Base == Base && H.Off == Off) {
            H.Size = std::max(H.Size, Acc.Size);
            H.IsWrite |= Acc.IsWrite;
            H.MaySpan |= Acc.MaySpan;
            Merged = true;
          }
        if (!Merged)
          List.push_back({Base, Off, Acc.Size, Acc.IsWrite, Acc.MaySpan, Acc.I});
        Acc.Elide = ElideKind::Hoisted;
        PreheaderTerm[L->getHeader()] = PH->getTerminator();
      }
    }
  }
}

// The natural loop that back-edge E (source terminator, header) closes, or null (an
// irreducible cycle, which keeps its safe point).
static const Loop *backedgeLoop(const LoopInfo &LI,
                                const std::pair<Instruction *, BasicBlock *> &E) {
  const Loop *L = LI.getLoopFor(E.second);
  if (!L || L->getHeader() != E.second || !L->contains(E.first->getParent()))
    return nullptr;
  return L;
}

// A call that neither calls code (an intrinsic) nor touches memory that a barrier covers (no
// memory intrinsic, no heap pointer operand): what (e) and the loads it moves allow in a loop.
static bool plainIntrinsic(const CallBase *CB) {
  return isa<IntrinsicInst>(CB) && !isa<MemIntrinsic>(CB) && !accessesHeapArg(CB);
}

// The atomic blocks of F: every instruction from a block's setjmp to its cleanup.  A
// transaction runs there (an atomic one: atomic_depth > 0), on every path.
void FunctionInstrumenter::findBlockRegions(DominatorTree &DT) {
  for (Instruction &I : instructions(F))
    if (callsNamed(I, "_stm_setjmp"))
      walkFromSetjmp(cast<CallBase>(&I), &DT, [&](Instruction &J) {
        InBlock.insert(&J);
        return true;
      });
}

bool FunctionInstrumenter::loopInBlock(const Loop *L) const {
  if (CC.runsOnlyInBlocks(F)) // (all of F runs inside a block)
    return true;
  for (const BasicBlock *BB : L->blocks())
    for (const Instruction &I : *BB)
      if (!InBlock.count(&I))
        return false;
  return true;
}

// Inside an atomic block a safe point does nothing (_stm_safepoint_slow returns at once when
// atomic_depth > 0), and no code in the block can end the transaction: a loop that lies
// wholly inside an atomic block of F needs none, and without it a loop whose barriers were
// all hoisted or ranged is call-free again (vectorisable, its loads made flat).
void FunctionInstrumenter::dropBlockSafepoints(LoopInfo &LI) {
  if (!ClElideBlockSafepoints)
    return;
  erase_if(Backedges, [&](const std::pair<Instruction *, BasicBlock *> &E) {
    const Loop *L = backedgeLoop(LI, E);
    if (!L || !loopInBlock(L))
      return false;
    ++Cnt.BlockSafepointsElided;
    ++NumBlockSafepointsElided;
    ORE.emit([&] {
      return OptimizationRemark("stm", "SafepointInBlockElided", E.first)
             << "no safe point: the loop is inside an atomic block";
    });
    return true;
  });
}

// (e): in an innermost loop with a computable trip count, a load made on every iteration
// whose address advances by a constant step of at most a granule (or its own size, so that
// the granules between its addresses are all its own) gets one read barrier over all the
// bytes it will read, in the preheader: `for (i = 0; i < n; i++) s += a[i]` marks a[0..n)
// once, and the loop runs without barriers.  A load of at most a granule with a wider step
// (`a[i].val` in an array of 24-byte structs) gets a strided range instead, which marks the
// one or two granules of its bytes in each element (-stmc-strided-ranges).  The range is exact, never speculative: the
// load's block dominates the latch, the loop's only exit is at its header (the load then
// runs once per back-edge taken, or once more when it is in the header itself) or at its
// latch (once more), and nothing in the loop calls anything but intrinsics (a call might not
// return, and the range would cover bytes the program never reaches).  After a safe point's
// slow path that changed RV (ended the transaction: outside atomic blocks), the range
// barriers run again: they start the next implicit transaction, which marks nothing (it
// cannot abort; mark_read).  Stores too (-stmc-range-writes; not strided), in loops inside an
// atomic block only (loopInBlock): one write barrier over the range in the preheader.  Such a
// loop keeps no safe point (with -stmc-elide-block-safepoints=0 one stays, whose slow path
// never ends a block's transaction, so the redo never runs); outside blocks every end of the
// implicit transaction committed the whole range and recorded it again.
void FunctionInstrumenter::analyseRanges(DominatorTree &DT, LoopInfo &LI) {
  if (!ClRangeBarriers || ReadOnlyClone || F.hasOptNone())
    return;
  // A loop entered under a condition (a do-while behind its guard) has no preheader once the
  // pass's SimplifyCFG merged the empty one away: give it one (the range is computed where
  // the loop is sure to run).
  for (Loop *L : LI.getLoopsInPreorder())
    if (L->isInnermost() && !L->getLoopPreheader())
      InsertPreheaderForLoop(L, &DT, &LI, nullptr, false);
  hoistInvariantLoads(DT, LI);
  ScevKit K(F, A.DL, DT, LI, "stmc.range");
  ScalarEvolution &SE = K.SE;
  SCEVExpander &Exp = K.Exp;
  for (Loop *L : LI.getLoopsInPreorder()) {
    if (!L->isInnermost())
      continue;
    BasicBlock *PH = L->getLoopPreheader(), *Latch = L->getLoopLatch();
    BasicBlock *Exiting = L->getExitingBlock();
    if (!PH || !Latch || !Exiting || (Exiting != L->getHeader() && Exiting != Latch))
      continue;
    bool Clean = true;
    for (BasicBlock *BB : L->blocks())
      for (Instruction &I : *BB)
        if (auto *CB = dyn_cast<CallBase>(&I); CB && !plainIntrinsic(CB))
          Clean = false;
    // (the loop's safe points, if any, are on back-edges to its header: the only latch)
    for (auto &E : Backedges)
      if (L->contains(E.first->getParent()) && E.second != L->getHeader())
        Clean = false;
    if (!Clean)
      continue;
    const SCEV *BTC = SE.getBackedgeTakenCount(L);
    if (isa<SCEVCouldNotCompute>(BTC) || !BTC->getType()->isIntegerTy() ||
        BTC->getType()->getIntegerBitWidth() > 64)
      continue;
    const SCEV *Taken = SE.getNoopOrZeroExtend(BTC, A.I64Ty); // (zext to the same width: LLVM's
    // assertions refuse it, and without them a umin of two exits lost an operand)
    Instruction *PHT = PH->getTerminator();
    SmallVector<RangeBarrier, 4> List;
    // Store ranges only where a transaction runs through the whole loop (a loop in a block,
    // or in a static helper that only blocks call, functionsOnlyInBlocks): outside blocks each
    // end of the implicit transaction (at every hand-over of the token, which a waiting
    // thread asks for every 20 us) committed the whole range, loop iterations not reached
    // included, and recorded it again: a review's 4 M-element fill beside one other thread
    // wrote 24 elements a second.
    bool WritesHere = ClRangeWrites && loopInBlock(L);
    for (BasicBlock *BB : L->blocks()) {
      if (!DT.dominates(BB, Latch))
        continue;
      for (Instruction &I : *BB) {
        auto It = AccessIndex.find(&I);
        if (It == AccessIndex.end())
          continue;
        Access &Acc = Accesses[It->second];
        auto *LdI = dyn_cast<LoadInst>(&I);
        auto *StI = dyn_cast<StoreInst>(&I);
        if (Acc.Elide != ElideKind::None)
          continue;
        if (!Acc.IsWrite ? !LdI || !LdI->isSimple()
                         // a store, or a load whose barrier is the next store's (`a[i] += x`),
                         // in a loop inside an atomic block (WritesHere)
                         : !WritesHere || Acc.ImmutableStore ||
                               !(StI ? StI->isSimple() : LdI && LdI->isSimple() && Acc.Upgraded))
          continue;
        const SCEV *PtrS = SE.getSCEV(Acc.Ptr);
        auto *AR = dyn_cast<SCEVAddRecExpr>(PtrS);
        const SCEV *StepSC;
        if (AR && AR->getLoop() == L && AR->isAffine())
          StepSC = AR->getStepRecurrence(SE);
        else if (ClInvariantRanges && SE.isLoopInvariant(PtrS, L))
          StepSC = SE.getZero(A.I64Ty); // the same address on every iteration
        else
          continue;
        auto *StepC = dyn_cast<SCEVConstant>(StepSC);
        const SCEV *StepS = nullptr;
        int64_t Step = 0;
        bool Strided;
        if (StepC) {
          if (StepC->getAPInt().getSignificantBits() > 32)
            continue;
          Step = StepC->getAPInt().getSExtValue();
          // Wider steps (one field of an array of structs): the range would mark the other
          // fields too, and their writers would conflict with the loop; a strided range marks
          // the field's one or two granules in each element.
          Strided = (Step < 0 ? -(uint64_t)Step : (uint64_t)Step) >
                    std::max<uint64_t>(STMC_GRANULE, Acc.Size);
        } else {
          // A step known at run time only (`b[k * n + j]`): a strided read range, whatever
          // the stride turns out to be (the runtime marks each element's granules; a stride
          // of 0 is one element read Count times).
          if (!ClRuntimeStrides || !StepSC->getType()->isIntegerTy() ||
              StepSC->getType()->getIntegerBitWidth() > 64 || !SE.isLoopInvariant(StepSC, L) ||
              !Exp.isSafeToExpandAt(StepSC, PHT))
            continue;
          StepS = StepSC;
          Strided = true;
        }
        uint64_t AbsStep = Step < 0 ? -(uint64_t)Step : (uint64_t)Step;
        if (Strided && (!ClStridedRanges || Acc.Size > STMC_GRANULE || Acc.IsWrite))
          continue;
        // executions: once per back-edge taken, and once more if the access comes before
        // the exit's test on the last iteration
        const SCEV *Count = DT.dominates(BB, Exiting) ? SE.getAddExpr(Taken, SE.getOne(A.I64Ty))
                                                      : Taken;
        const SCEV *Start = StepC && Step == 0 ? PtrS : AR->getStart();
        if (!Exp.isSafeToExpandAt(Start, PHT) || !Exp.isSafeToExpandAt(Count, PHT))
          continue;
        bool Merged = false;
        for (RangeBarrier &R : List)
          Merged |= R.Start == Start && R.CountS == Count && R.Step == Step &&
                    R.StepS == StepS && R.Size == Acc.Size && R.IsWrite == Acc.IsWrite;
        if (!Merged)
          List.push_back(
              {Start, Count, Step, AbsStep, StepS, Acc.Size, Strided, Acc.IsWrite, &I});
        Acc.Elide = ElideKind::Ranged;
      }
    }
    if (List.empty())
      continue;
    // The values, computed in the preheader now (SCEV lives only as long as the analyses):
    // Lo = the lowest address, Len = |Step| * (Count - 1) + Size (used only when Count != 0).
    for (RangeBarrier &R : List) {
      R.Cnt = Exp.expandCodeFor(R.CountS, A.I64Ty, PHT);
      Value *First = Exp.expandCodeFor(R.Start, R.Start->getType(), PHT);
      IRBuilder<> B(PHT);
      Value *StartA = B.CreatePtrToInt(First, A.I64Ty, "stmc.range.first");
      Value *Neg = nullptr;
      if (R.StepS) { // |step| and the sign at run time
        Value *StepV = Exp.expandCodeFor(R.StepS, A.I64Ty, PHT);
        B.SetInsertPoint(PHT);
        Neg = B.CreateICmpSLT(StepV, ConstantInt::get(A.I64Ty, 0), "stmc.range.down");
        R.Stride = B.CreateSelect(Neg, B.CreateNeg(StepV), StepV, "stmc.range.stride");
      } else {
        R.Stride = ConstantInt::get(A.I64Ty, R.AbsStep);
      }
      Value *Span = B.CreateMul(B.CreateSub(R.Cnt, ConstantInt::get(A.I64Ty, 1)), R.Stride,
                                "stmc.range.span");
      if (!R.Strided) // (a strided range passes the count, the step and the size instead)
        R.Len = B.CreateAdd(Span, ConstantInt::get(A.I64Ty, R.Size), "stmc.range.len");
      if (Neg)
        R.Lo = B.CreateSelect(Neg, B.CreateSub(StartA, Span), StartA, "stmc.range.lo");
      else
        R.Lo = R.Step >= 0 ? StartA : B.CreateSub(StartA, Span, "stmc.range.lo");
    }
    PreheaderTerm[L->getHeader()] = PHT;
    auto &Dst = Ranges[L->getHeader()];
    Dst.append(List.begin(), List.end());
  }
}

// Inside an atomic block the transaction's snapshot does not change, so a heap load at a
// loop-invariant address reads the same value on every iteration of a loop that writes no
// heap: `for (i = 0; i < x->n; i++) s += x->a[i]` in a block, whose bound the loop reads
// again at each test and whose trip count SCEV therefore cannot compute.  Such a load, made on
// every iteration (its barrier was hoisted, analyseLoops, not made once per entry), moves to
// the preheader with the address computation it needs, and gets its inline barrier there
// again (the hoisted copy stays: a duplicate in the preheader).  Heap loads only in loops
// wholly inside an atomic block of F without calls: outside blocks a safe point may end the
// transaction and the next one sees other threads' commits (a loop whose bound another
// thread raises).  Loads of plain memory in any loop without calls, atomics or fences, in or
// outside blocks (-stmc-hoist-plain-loads: the loop below says why).
void FunctionInstrumenter::hoistInvariantLoads(DominatorTree &DT, LoopInfo &LI) {
  if (!ClHoistBlockLoads && !ClHoistPlainLoads)
    return;
  // Loads that run on every step of the loop's body but not on the header's last visit (the
  // test that leaves: `x->items[i]` in `for (i = 0; i < n; i++) s += x->items[i]`), whose
  // barriers run once per loop entry (OnceOf): moved before the loop behind `if (the body
  // runs)`, below.
  SmallVector<std::tuple<Loop *, LoadInst *, bool>, 4> Guarded; // (.., the loop stores)
  // The accesses moved: the barriers that would reuse their RV (-stmc-share-rv) load their
  // own (a guarded load's block does not dominate the loop: a review's gather loop,
  // `s += x->items[x->idx[i]]`, verified no more, and crashed a later pass at -O3).
  SmallSet<int, 8> Moved;
  unsigned Taken = 0; // loads moved
  // The bookkeeping of a load moved out of its loop: its barrier is emitted where it is now.
  auto Took = [&](LoadInst *Ld, bool PastStores) {
    ++Taken;
    if (!isHeapPtrTy(Ld->getPointerOperandType())) { // (plain memory: no barrier to move)
      ++Cnt.HoistedPlainLoads;
      ++NumHoistedPlainLoads;
      return;
    }
    Access &Acc = Accesses[AccessIndex[Ld]];
    Acc.Elide = ElideKind::None;
    Acc.RVFrom = -1; // (an RV of the loop's body does not dominate the load's new place)
    Moved.insert(AccessIndex[Ld]);
    ++Cnt.HoistedBlockLoads;
    ++NumHoistedBlockLoads;
    if (PastStores) {
      ++Cnt.HoistedPastStores;
      ++NumHoistedPastStores;
    }
  };
  std::optional<AliasKit> AAK; // made at the first loop that stores
  // In rounds: a load whose address another moved load gives moves in the next one (the
  // `rows[c]` of `ctr[c][j]` where `ctr` is a global pointer, a plain load itself).
  for (unsigned Round = 0; Round < 4; ++Round) {
    unsigned Before = Taken;
    Guarded.clear();
    for (Loop *L : LI.getLoopsInPreorder()) {
      BasicBlock *PH = L->getLoopPreheader();
      if (!L->isInnermost() || !PH)
        continue;
      // Heap loads move only in loops wholly inside a block (above); loads of plain memory in
      // any call-free loop (-stmc-hoist-plain-loads): `rows[c]` in `s += rows[c][j]`, where
      // `rows` is a malloc'ed array of heap rows.  LICM would move such a load after the pass,
      // were it not for the safe point the pass puts on the loop's back-edge (an opaque call),
      // and the range barrier of `rows[c][j]` needs its base before the loop.  A safe point
      // that hands the token to another thread orders nothing the program's own code does not:
      // the loop reads plain memory as the baseline's loop, which LICM leaves with one load.
      bool Quiet = ClHoistBlockLoads && loopInBlock(L), Sync = false;
      SmallVector<StoreInst *, 4> Stores;    // the loop's heap stores (plain)
      SmallVector<StoreInst *, 4> AllStores; // and every other store
      // Intrinsics that write memory (a masked store, `__builtin_ia32_maskmovdqu`): what they
      // may change stays (a review: a plain load after such a store read once, a miscompile).
      SmallVector<CallBase *, 2> Writers;
      for (BasicBlock *BB : L->blocks())
        for (Instruction &I : *BB) {
          if (auto *CB = dyn_cast<CallBase>(&I)) {
            if (!plainIntrinsic(CB))
              Sync = true;
            else if (CB->mayWriteToMemory())
              Writers.push_back(CB);
          } else if (I.isAtomic() || isa<FenceInst>(I)) {
            Sync = true;
          } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
            AllStores.push_back(SI);
            // (volatile locals, which a retry keeps, are plain memory: no heap)
            if (isHeapPtrTy(SI->getPointerOperandType())) {
              if (!ClHoistPastStores || !SI->isSimple())
                Quiet = false;
              Stores.push_back(SI);
            }
          } else if (auto *Ld = dyn_cast<LoadInst>(&I)) {
            if (Ld->isVolatile() && isHeapPtrTy(Ld->getPointerOperandType()))
              Quiet = false;
          }
        }
      if (Sync || (!Quiet && !ClHoistPlainLoads))
        continue;
      // A loop that stores: only loads that no store of it may change (type-based alias
      // analysis: the row pointer `acc[k]` of `acc[k][j] += p[j]`, a pointer, against the
      // stores of doubles; none under -fno-strict-aliasing, which leaves clang's TBAA out).  A
      // heap load against the heap stores; a plain load against them all (a heap and a plain
      // pointer are not known apart by their address spaces alone).
      auto Unchanged = [&](LoadInst *Ld) {
        bool Heap = isHeapPtrTy(Ld->getPointerOperandType());
        const SmallVectorImpl<StoreInst *> &Against = Heap ? Stores : AllStores;
        if (Against.empty() && Writers.empty())
          return true;
        if (!AAK)
          AAK.emplace(F, DT);
        MemoryLocation LdLoc = MemoryLocation::get(Ld);
        for (StoreInst *SI : Against)
          if (!AAK->AA.isNoAlias(MemoryLocation::get(SI), LdLoc))
            return false;
        for (CallBase *CB : Writers)
          if (isModSet(AAK->AA.getModRefInfo(CB, LdLoc)))
            return false;
        return true;
      };
      Instruction *PHT = PH->getTerminator();
      BasicBlock *Latch = L->getLoopLatch();
      SmallVector<BasicBlock *, 4> Exiting;
      L->getExitingBlocks(Exiting);
      // Guarded: loads that run on every step the header lets in (their block dominates the
      // latch, and the header is the loop's only exit).
      bool BodyOnly = ClHoistGuardedLoads && Latch && L->getExitingBlock() == L->getHeader();
      SmallVector<LoadInst *, 4> Moves;
      for (BasicBlock *BB : L->blocks()) {
        // every visit of the header runs it: (d) hoisted its barrier, or the address is
        // computed in the loop (`acc[k]` in `acc[k][j] += p[j]`: a GEP of the body), which
        // (d) does not take for loop-invariant, and it moves first
        bool Always = Latch && DT.dominates(BB, Latch);
        for (BasicBlock *E : Exiting)
          Always &= DT.dominates(BB, E);
        bool Body = BodyOnly && BB != L->getHeader() && DT.dominates(BB, Latch);
        for (Instruction &I : *BB) {
          auto *Ld = dyn_cast<LoadInst>(&I);
          if (!Ld || !Ld->isSimple())
            continue;
          bool Here, Later;
          if (!isHeapPtrTy(Ld->getPointerOperandType())) {
            if (!ClHoistPlainLoads)
              continue;
            Here = Always;
            Later = Body;
          } else {
            auto It = AccessIndex.find(&I);
            if (!Quiet || It == AccessIndex.end())
              continue;
            ElideKind K = Accesses[It->second].Elide;
            bool Once = OnceOf.count(Ld);
            Here = K == ElideKind::Hoisted ? !Once : K == ElideKind::None && Always;
            Later = K == ElideKind::Hoisted ? Once && Body : K == ElideKind::None && Body;
          }
          if (!Here && !Later)
            continue;
          bool Changed = false;
          if (!Unchanged(Ld) || !L->makeLoopInvariant(Ld->getPointerOperand(), Changed, PHT))
            continue;
          if (Here)
            Moves.push_back(Ld);
          else
            Guarded.push_back({L, Ld, !Stores.empty()});
        }
      }
      for (LoadInst *Ld : Moves) {
        Ld->moveBefore(*PH, PHT->getIterator());
        Took(Ld, !Stores.empty());
      }
    }
    // The body runs when the header's exit is not taken at once: the backedge-taken count (the
    // header's only exit, the loop's only exit) is not 0.  The load moves into a block that runs
    // then, and a phi in the preheader gives the loop its value (poison when the body never
    // runs, which then reads nothing).
    if (!Guarded.empty()) {
      ScevKit K(F, A.DL, DT, LI, "stmc.guard");
      DomTreeUpdater DTU(DT, DomTreeUpdater::UpdateStrategy::Eager);
      DenseMap<Loop *, Value *> Go; // per loop: its condition, once
      for (auto [L, Ld, PastStores] : Guarded) {
        Instruction *PHT = L->getLoopPreheader()->getTerminator();
        Value *&Cond = Go[L];
        if (!Cond) {
          const SCEV *BTC = K.SE.getBackedgeTakenCount(L);
          if (isa<SCEVCouldNotCompute>(BTC) || !BTC->getType()->isIntegerTy() ||
              !K.Exp.isSafeToExpandAt(BTC, PHT))
            continue;
          Value *Taken = K.Exp.expandCodeFor(BTC, BTC->getType(), PHT);
          Cond = IRBuilder<>(PHT).CreateICmpNE(Taken, ConstantInt::get(BTC->getType(), 0),
                                               "stmc.body.runs");
        }
        Instruction *Then = SplitBlockAndInsertIfThen(Cond, PHT, false, nullptr, &DTU, &LI);
        BasicBlock *Head = Then->getParent()->getSinglePredecessor();
        Ld->moveBefore(*Then->getParent(), Then->getIterator());
        PHINode *Phi = PHINode::Create(Ld->getType(), 2, Ld->getName() + ".stmc.guarded");
        Phi->insertBefore(PHT->getParent()->begin());
        Ld->replaceAllUsesWith(Phi);
        // (and the accesses that use the load as their address, recorded before: the heap
        // pointer read from the global `ints` by `(*ints)[i] = v`, a vector's element)
        for (Access &Acc : Accesses) {
          if (Acc.Ptr == Ld)
            Acc.Ptr = Phi;
          if (Acc.Base == Ld)
            Acc.Base = Phi;
        }
        Phi->addIncoming(Ld, Then->getParent());
        Phi->addIncoming(PoisonValue::get(Ld->getType()), Head);
        OnceOf.erase(Ld);
        Took(Ld, PastStores);
      }
    }
    if (Taken == Before)
      break;
  }
  for (Access &Acc : Accesses)
    if (Acc.RVFrom >= 0 && Moved.count(Acc.RVFrom))
      Acc.RVFrom = -1;
}

// A range barrier before Before: when the loop makes its load at all (Count != 0) and the
// transaction is not an unmarked attempt (RV == 1: no marks, as the inline read barrier),
// the read slow path over [Lo, Lo + Len), or for a strided range the runtime's strided mark
// of Count elements |Step| bytes apart from Lo.
void FunctionInstrumenter::emitRange(Instruction *Before, const RangeBarrier &R) {
  IRBuilder<> B(Before);
  Value *Go = B.CreateICmpNE(R.Cnt, ConstantInt::get(A.I64Ty, 0), "stmc.range.any");
  if (!R.IsWrite) { // (a write in an unmarked attempt must reach the slow path: it upgrades)
    Value *RV = A.loadMeta(B, A.I8Ty, A.gsAddr(STMC_HDR_RV), "stmc.rv");
    Go = B.CreateAnd(Go, B.CreateICmpNE(RV, ConstantInt::get(A.I8Ty, STMC_VERSION_UNMARKED)));
  }
  Instruction *Then = SplitBlockAndInsertIfThen(Go, Before, false);
  IRBuilder<> SB(Then);
  if (R.IsWrite)
    A.callAbi(SB, Abi__stm_write_slow, {R.Lo, R.Len, A.site(R.Origin)});
  else if (R.Strided)
    A.callAbi(SB, Abi__stm_read_strided,
              {R.Lo, R.Cnt, R.Stride, ConstantInt::get(A.I64Ty, R.Size), A.site(R.Origin)});
  else
    A.callAbi(SB, Abi__stm_read_slow, {R.Lo, R.Len, A.site(R.Origin)});
}

// Before an access that needs no marker: if no transaction runs (RV == 0), the read slow path
// (it takes a segment if the thread has none, and starts the implicit transaction).
void FunctionInstrumenter::emitNoTransactionCheck(Instruction *Before, Value *Ptr, uint64_t Size,
                                                  Constant *Site) {
  IRBuilder<> B(Before);
  Value *RV = A.loadMeta(B, A.I8Ty, A.gsAddr(STMC_HDR_RV), "stmc.rv");
  Value *NoTx = B.CreateICmpEQ(RV, ConstantInt::get(A.I8Ty, STMC_VERSION_INACTIVE_R));
  MDBuilder MDB(A.C);
  Instruction *Then =
      SplitBlockAndInsertIfThen(NoTx, Before, false, MDB.createBranchWeights(1, 1000));
  IRBuilder<> SB(Then);
  A.callAbi(SB, Abi__stm_read_slow,
            {SB.CreatePtrToInt(Ptr, A.I64Ty, "stmc.a"), ConstantInt::get(A.I64Ty, Size), Site});
}

Value *FunctionInstrumenter::emitBarrier(Instruction *Before, Value *Ptr, uint64_t Size,
                                         bool IsWrite, bool MaySpan, Constant *Site,
                                         Value *ReuseRV) {
  IRBuilder<> B(Before);
  Value *Addr = B.CreatePtrToInt(Ptr, A.I64Ty, "stmc.a");
  Value *SizeV = ConstantInt::get(A.I64Ty, Size);
  if (Size > MaxInlineBarrierSize) {
    // Large aggregates: the slow path marks every granule.
    A.callAbi(B, IsWrite ? Abi__stm_write_slow : Abi__stm_read_slow, {Addr, SizeV, Site});
    return nullptr;
  }
  // Offsets (from Addr) of one byte in each granule the access may touch.
  SmallVector<uint64_t, 6> Probes;
  Probes.push_back(0);
  for (uint64_t K = STMC_GRANULE; K < Size; K += STMC_GRANULE)
    Probes.push_back(K);
  if (MaySpan && Size > 1 && Probes.back() != Size - 1)
    Probes.push_back(Size - 1);
  auto MarkerAddr = [&](uint64_t Delta, uint64_t Base) {
    Value *V = Delta ? B.CreateAdd(Addr, ConstantInt::get(A.I64Ty, Delta)) : Addr;
    V = B.CreateLShr(V, STMC_GRANULE_SHIFT);
    if (Base)
      V = B.CreateAdd(V, ConstantInt::get(A.I64Ty, Base));
    return B.CreateIntToPtr(V, A.HeapPtrTy);
  };
  MDBuilder MDB(A.C);
  MDNode *Unlikely = MDB.createBranchWeights(1, 1000);
  if (IsWrite) {
    LoadInst *WV = A.loadMeta(B, A.I8Ty, A.gsAddr(STMC_HDR_WV), "stmc.wv");
    Value *Miss = nullptr;
    for (uint64_t P : Probes) {
      LoadInst *WM = A.loadMeta(B, A.I8Ty, MarkerAddr(P, STMC_WMARK_OFF), "stmc.wm");
      Value *Ne = B.CreateICmpNE(WM, WV);
      Miss = Miss ? B.CreateOr(Miss, Ne) : Ne;
    }
    Instruction *Then = SplitBlockAndInsertIfThen(Miss, Before, false, Unlikely);
    if (ClInlineAppend && Probes.size() == 1)
      Then = emitInlineAppend(Then, Addr, WV);
    IRBuilder<> SB(Then);
    A.callAbi(SB, Abi__stm_write_slow, {Addr, SizeV, Site});
    return nullptr;
  }
  // rv == 1 (STMC_VERSION_UNMARKED): nothing, tested first (one compare and branch: most
  // reads of read-mostly programs run in unmarked transactions); rv == 0: the slow path; else
  // mark.  No branch weights on the first test: marking transactions take it the other way.
  // A reused RV (-stmc-share-rv) may be stale only after the earlier barrier's slow path
  // started a transaction (0 -> a version): this barrier then takes the slow path too, which
  // is correct.  Anything else that changes RV (commit, abort, a safe point, an external call)
  // is a call, and no RV is reused across a call.
  Value *RV = ReuseRV ? ReuseRV : A.loadMeta(B, A.I8Ty, A.gsAddr(STMC_HDR_RV), "stmc.rv");
  Value *Marking = B.CreateICmpNE(RV, ConstantInt::get(A.I8Ty, STMC_VERSION_UNMARKED));
  Instruction *MarkingT = SplitBlockAndInsertIfThen(Marking, Before, false);
  IRBuilder<> MB(MarkingT);
  Value *NoTx = MB.CreateICmpEQ(RV, ConstantInt::get(A.I8Ty, STMC_VERSION_INACTIVE_R));
  Instruction *SlowT = nullptr, *MarkT = nullptr;
  SplitBlockAndInsertIfThenElse(NoTx, MarkingT, &SlowT, &MarkT, Unlikely);
  IRBuilder<> SB(SlowT);
  A.callAbi(SB, Abi__stm_read_slow, {Addr, SizeV, Site});
  B.SetInsertPoint(MarkT);
  for (uint64_t P : Probes)
    A.tag(B.CreateStore(RV, MarkerAddr(P, STMC_RMARK_OFF)));
  return RV;
}

// The write fast path's inline append (stmc/layout.h, STMC_HDR_WS_*), for an access inside
// one granule whose write marker missed; Then is the miss branch's terminator.  While WS_N <
// WS_LIM, and the granule's page is private here (the page lies below the largest heap and its
// byte at STMC_PRIV_OFF is set): WS_V[WS_N] = the granule, WS_N + 1, WV into its write and read
// markers, WRITES_INLINE + 1.  Else the slow path.  WS_N and WS_LIM are tested first: WS_LIM
// is 0 in the dummy segment, which maps no private-page bytes.  Returns the terminator of the
// slow path's block, where the caller puts the call.
Instruction *FunctionInstrumenter::emitInlineAppend(Instruction *Then, Value *Addr, Value *WV) {
  ++NumInlineAppends;
  BasicBlock *MissBB = Then->getParent(), *Tail = Then->getSuccessor(0);
  Function *Fn = MissBB->getParent();
  BasicBlock *PrivBB = BasicBlock::Create(A.C, "stmc.ws.priv", Fn, Tail);
  BasicBlock *AppendBB = BasicBlock::Create(A.C, "stmc.ws.append", Fn, Tail);
  BasicBlock *SlowBB = BasicBlock::Create(A.C, "stmc.ws.slow", Fn, Tail);
  MDBuilder MDB(A.C);
  MDNode *Likely = MDB.createBranchWeights(1000, 1);
  auto Const = [&](uint64_t V) { return ConstantInt::get(A.I64Ty, V); };
  auto GsPtr = [&](IRBuilder<> &B, Value *Off) { return B.CreateIntToPtr(Off, A.HeapPtrTy); };

  IRBuilder<> B(Then);
  Value *N = A.loadMeta(B, A.I64Ty, A.gsAddr(STMC_HDR_WS_N), "stmc.ws.n", true);
  Value *Lim = A.loadMeta(B, A.I64Ty, A.gsAddr(STMC_HDR_WS_LIM), "stmc.ws.lim", true);
  Value *Page = B.CreateLShr(B.CreateSub(Addr, Const(STMC_HEAP_START)), 12, "stmc.page");
  Value *Ok = B.CreateAnd(B.CreateICmpULT(N, Lim), B.CreateICmpULT(Page, Const(STMC_PRIV_PAGES)));
  B.CreateCondBr(Ok, PrivBB, SlowBB, Likely);
  Then->eraseFromParent();

  B.SetInsertPoint(PrivBB);
  // Atomic: a committer that makes the page private here sets it meanwhile.  Monotonic, not
  // acquire as in the runtime's C: the stores that depend on it are behind the branch on it
  // (no store is speculated), and x86 keeps stores after earlier loads; an acquire load would
  // be a clobber for GVN, and WV and the user's pointers would be loaded again after it.
  LoadInst *Priv = A.loadMeta(B, A.I8Ty, GsPtr(B, B.CreateAdd(Page, Const(STMC_PRIV_OFF))),
                              "stmc.priv");
  Priv->setAtomic(AtomicOrdering::Monotonic);
  B.CreateCondBr(B.CreateICmpNE(Priv, ConstantInt::get(A.I8Ty, 0)), AppendBB, SlowBB, Likely);

  B.SetInsertPoint(AppendBB);
  Value *G = B.CreateLShr(Addr, STMC_GRANULE_SHIFT, "stmc.g");
  Value *VOff = A.loadMeta(B, A.I64Ty, A.gsAddr(STMC_HDR_WS_VOFF), "stmc.ws.voff", true);
  Value *Slot = B.CreateAdd(VOff, B.CreateShl(N, 2), "stmc.ws.slot");
  A.tag(B.CreateAlignedStore(B.CreateTrunc(G, A.I32Ty), GsPtr(B, Slot), Align(4)), true);
  A.tag(B.CreateAlignedStore(B.CreateAdd(N, Const(1)), A.gsAddr(STMC_HDR_WS_N), Align(8)), true);
  A.tag(B.CreateStore(WV, GsPtr(B, B.CreateAdd(G, Const(STMC_WMARK_OFF)))));
  A.tag(B.CreateStore(WV, GsPtr(B, B.CreateAdd(G, Const(STMC_RMARK_OFF)))));
  Value *Cnt =
      A.loadMeta(B, A.I64Ty, A.gsAddr(STMC_HDR_WRITES_INLINE), "stmc.ws.count", true);
  A.tag(B.CreateAlignedStore(B.CreateAdd(Cnt, Const(1)), A.gsAddr(STMC_HDR_WRITES_INLINE),
                             Align(8)),
        true);
  B.CreateBr(Tail);

  B.SetInsertPoint(SlowBB);
  return B.CreateBr(Tail);
}

// A loop can wait for another thread only through a call (to anything but a quiet helper of
// this module), an STM heap access, or an atomic or volatile access.  A loop with none of these ends whatever the other threads do, so the
// implicit transaction that runs it reaches a later safe point (the function's other loops,
// an external call, an atomic block) without one on this back-edge -- and the loop stays
// vectorisable.  Irreducible cycles (no LoopInfo loop) keep their safe point.
void FunctionInstrumenter::dropQuietLoopSafepoints(LoopInfo &LI) {
  if (!ClElideSafepointQuiet)
    return;
  // Quiet code: no call (except intrinsics and calls to functions of this module that are
  // themselves quiet, a few levels deep: small helpers not inlined yet at PipelineStart), no
  // STM heap access, no atomic, volatile or fence.
  std::function<bool(const Instruction &, unsigned)> MayWaitAt;
  auto QuietFunction = [&](const Function *Callee, unsigned Depth) {
    if (!Callee || Callee->isDeclaration() || Depth == 0 || Callee == &F)
      return false;
    for (const BasicBlock &BB : *Callee)
      for (const Instruction &I : BB)
        if (MayWaitAt(I, Depth - 1))
          return false;
    return true;
  };
  MayWaitAt = [&](const Instruction &I, unsigned Depth) {
    if (const auto *CB = dyn_cast<CallBase>(&I)) {
      const Function *Callee = CB->getCalledFunction();
      if (!Callee || !Callee->isIntrinsic())
        return !QuietFunction(Callee, Depth);
      if (const auto *MI = dyn_cast<MemIntrinsic>(CB))
        return MI->isVolatile() || isHeapPtrTy(MI->getRawDest()->getType()) ||
               (isa<MemTransferInst>(MI) &&
                isHeapPtrTy(cast<MemTransferInst>(MI)->getRawSource()->getType()));
      // (a masked load of the heap is a heap access: a loop may wait on what it reads)
      return accessesHeapArg(CB);
    }
    if (I.isAtomic() || isa<FenceInst>(I))
      return true;
    if (const auto *LI = dyn_cast<LoadInst>(&I))
      return LI->isVolatile() || isHeapPtrTy(LI->getPointerOperandType());
    if (const auto *SI = dyn_cast<StoreInst>(&I))
      return SI->isVolatile() || isHeapPtrTy(SI->getPointerOperandType());
    return false;
  };
  auto MayWait = [&](const Loop *L) {
    for (const BasicBlock *BB : L->blocks())
      for (const Instruction &I : *BB)
        if (MayWaitAt(I, 3))
          return true;
    return false;
  };
  erase_if(Backedges, [&](const std::pair<Instruction *, BasicBlock *> &E) {
    const Loop *L = backedgeLoop(LI, E);
    if (!L || MayWait(L))
      return false;
    ++Cnt.SafepointsElided;
    ++NumSafepointsElided;
    ORE.emit([&] {
      return OptimizationRemark("stm", "SafepointElided", E.first)
             << "no safe point: the loop calls nothing and touches no STM heap, atomic or "
                "volatile memory";
    });
    return true;
  });
}

// A loop outside atomic blocks keeps a safe point on its back-edge (a load of YIELD and a
// branch to a call), so that another thread waiting for the token, to commit or for a segment
// gets it within a step.  Where that is the loop's only runtime code (every barrier ranged or
// hoisted before it: `s += row[j]`), the call is all that keeps it from being unrolled and
// vectorised, and from the late pass's flat loads: such a loop, innermost, with a computable
// trip count, gets a copy without the safe point, run when it takes fewer than
// -stmc-short-loop-trips steps (1024: a few microseconds of such a body, under the 20 us
// slice a waiting thread grants); longer runs keep the safe point.  The copy holds the token
// no longer than that, and its stores (none of its own barriers: ranges) are bounded too.
void FunctionInstrumenter::versionShortLoops() {
  if (!ClShortLoopCopies || !ClShortLoopTrips || F.hasOptNone() || SafepointBranches.empty())
    return;
  bool Any = false, Stale = true;
  DominatorTree DT;
  LoopInfo LI;
  for (auto &SP : SafepointBranches) {
    LoadInst *Y = std::get<0>(SP);
    BranchInst *Br = std::get<1>(SP);
    Instruction *Term = std::get<2>(SP);
    if (Stale) { // (made again only after a copy, which changes the CFG)
      DT.recalculate(F);
      LI.releaseMemory();
      LI.analyze(DT);
      Stale = false;
    }
    Loop *L = LI.getLoopFor(Y->getParent());
    if (!L || !L->isInnermost() || !L->getLoopPreheader() || !L->getExitBlock() ||
        !L->hasDedicatedExits() || !L->getLoopLatch())
      continue;
    BasicBlock *Slow = Br->getSuccessor(0);
    bool Clean = true;
    for (BasicBlock *BB : L->blocks()) {
      if (DT.dominates(Slow, BB)) // (the safe point's slow path)
        continue;
      for (Instruction &I : *BB) {
        if (&I == Y)
          continue;
        if (auto *CB = dyn_cast<CallBase>(&I); CB && !plainIntrinsic(CB))
          Clean = false;
        else if (isInternal(I) || I.isAtomic() || isa<FenceInst>(I))
          Clean = false; // an inline barrier's code, or something that orders
      }
    }
    if (!Clean)
      continue;
    ScevKit K(F, A.DL, DT, LI, "stmc.short");
    const SCEV *BTC = K.SE.getBackedgeTakenCount(L);
    BasicBlock *PH = L->getLoopPreheader();
    if (isa<SCEVCouldNotCompute>(BTC) || !BTC->getType()->isIntegerTy() ||
        !K.Exp.isSafeToExpandAt(BTC, PH->getTerminator()))
      continue;
    Stale = true; // (from here on the CFG changes)
    formLCSSA(*L, DT, &LI, &K.SE);
    Value *Taken = K.Exp.expandCodeFor(BTC, BTC->getType(), PH->getTerminator());
    Value *Short = IRBuilder<>(PH->getTerminator())
                       .CreateICmpULT(Taken, ConstantInt::get(BTC->getType(), ClShortLoopTrips),
                                      "stmc.short.run");
    BasicBlock *LongPH = SplitBlock(PH, PH->getTerminator(), &DT, &LI, nullptr, "stmc.long");
    ValueToValueMapTy VMap;
    SmallVector<BasicBlock *, 8> Copy;
    cloneLoopWithPreheader(LongPH, PH, L, VMap, ".stmc.short", &LI, &DT, Copy);
    remapInstructionsInBlocks(Copy, VMap);
    PH->getTerminator()->eraseFromParent();
    BranchInst::Create(cast<BasicBlock>(VMap[LongPH]), LongPH, Short, PH);
    // The exit (dedicated, LCSSA): the copy's values come in from the copy's exiting blocks.
    BasicBlock *Exit = L->getExitBlock();
    for (PHINode &P : Exit->phis())
      for (unsigned I = 0, E = P.getNumIncomingValues(); I != E; ++I) {
        BasicBlock *In = P.getIncomingBlock(I);
        if (!L->contains(In))
          continue;
        Value *V = P.getIncomingValue(I);
        auto It = VMap.find(V);
        P.addIncoming(It != VMap.end() ? static_cast<Value *>(It->second) : V,
                      cast<BasicBlock>(VMap[In]));
      }
    // The copy's safe point goes: its branch goes straight on, and YIELD's load with it.
    auto *CBr = cast<BranchInst>(VMap[Br]);
    auto *CY = cast<Instruction>(VMap[Y]);
    BranchInst::Create(CBr->getSuccessor(1), CBr->getIterator());
    Instruction *Cond = dyn_cast<Instruction>(CBr->getCondition());
    CBr->eraseFromParent();
    if (Cond && Cond->use_empty())
      Cond->eraseFromParent();
    if (CY->use_empty())
      CY->eraseFromParent();
    // One safe point after the loop, on the way out of either version: the copy's back-edge
    // was the only one on its path, and code around it may have none (a recursive walk
    // whose only loop is a short row sum held the token 1.35 s with the copies, a review
    // found, against millions of hand-overs without them).  Its slow path puts back in the
    // write set the objects allocated before the loop, as the loop's own safe point does.
    Instruction *ExitThen = emitYieldTest(&*Exit->getFirstInsertionPt(), "stmc.yield.exit").second;
    IRBuilder<> EB(ExitThen);
    A.callAbi(EB, Abi__stm_safepoint_slow, {A.site(Term)});
    emitWriteAgain(ExitThen, Term);
    Any = true;
    ++Cnt.ShortLoopCopies;
    ++NumShortLoopCopies;
    ORE.emit([&] {
      return OptimizationRemark("stm", "ShortLoopCopy", Y)
             << "the loop runs without its safe point when it takes fewer than "
             << ore::NV("Trips", ClShortLoopTrips) << " steps";
    });
  }
  if (Any)
    EliminateUnreachableBlocks(F); // (the copies' slow paths)
}

// YIELD's test before Before: its load, and the end of the block that runs when it is set
// (where the caller puts the call to _stm_safepoint_slow and what follows it).  Other threads
// set YIELD: the load is volatile so that no optimisation hoists it out of a loop or merges it
// with another (the header's alias scope would otherwise allow it).
std::pair<LoadInst *, Instruction *> FunctionInstrumenter::emitYieldTest(Instruction *Before,
                                                                        const Twine &Name) {
  IRBuilder<> B(Before);
  LoadInst *Y = A.loadMeta(B, A.I8Ty, A.gsAddr(STMC_HDR_YIELD), Name);
  Y->setVolatile(true);
  Value *Ask = B.CreateICmpNE(Y, ConstantInt::get(A.I8Ty, 0));
  MDBuilder MDB(A.C);
  return {Y, SplitBlockAndInsertIfThen(Ask, Before, false, MDB.createBranchWeights(1, 1000))};
}

// After a safe point's slow path, before Then: the objects allocated since the last boundary
// before the back-edge Term (SafepointFresh), whose stores need no barrier, back in the write
// set (the slow path may have ended the transaction that held them).
void FunctionInstrumenter::emitWriteAgain(Instruction *Then, Instruction *Term) {
  auto FIt = SafepointFresh.find(Term);
  if (FIt == SafepointFresh.end())
    return;
  IRBuilder<> FB(Then);
  for (CallBase *Alloc : FIt->second) {
    Value *Size = FB.CreateZExtOrTrunc(Alloc->getArgOperand(0), A.I64Ty);
    A.callAbi(FB, Abi__stm_write_again, {FB.CreatePtrToInt(Alloc, A.I64Ty), Size, A.site(Alloc)});
  }
}

void FunctionInstrumenter::emitSafepoint(Instruction *Term, BasicBlock *Header) {
  auto [Y, Then] = emitYieldTest(Term, "stmc.yield");
  SafepointBranches.push_back({Y, cast<BranchInst>(Y->getParent()->getTerminator()), Term});
  IRBuilder<> SB(Then);
  Constant *Site = A.site(Term);
  auto RIt = Ranges.find(Header);
  Value *RVBefore = RIt == Ranges.end()
                        ? nullptr
                        : A.loadMeta(SB, A.I8Ty, A.gsAddr(STMC_HDR_RV), "stmc.rv.before");
  A.callAbi(SB, Abi__stm_safepoint_slow, {Site});
  // The range barriers again if the slow path ended the transaction (RV changed: outside
  // atomic blocks), over the whole range rather than the iterations left: simpler, and an
  // implicit transaction marks nothing, so it costs the one call.
  if (RVBefore) {
    Value *RVAfter = A.loadMeta(SB, A.I8Ty, A.gsAddr(STMC_HDR_RV), "stmc.rv.after");
    Instruction *Redo =
        SplitBlockAndInsertIfThen(SB.CreateICmpNE(RVBefore, RVAfter), Then, false);
    for (RangeBarrier &R : RIt->second)
      emitRange(Redo, R);
  }
  ++Cnt.Safepoints;
  ++NumSafepoints;
  // The slow path may have ended the transaction: run the once-per-entry barriers again...
  for (OnceBarrier &O : Onces)
    if (O.Header == Header)
      IRBuilder<>(Then).CreateStore(ConstantInt::getFalse(A.C), O.Flag);
  // ... and redo the barriers hoisted out of this loop.
  auto It = Hoisted.find(Header);
  if (It != Hoisted.end())
    for (HoistedBarrier &H : It->second)
      emitHoisted(Then, H);
  // ... and put the objects allocated since the last boundary back in the write set.
  emitWriteAgain(Then, Term);
}

// An STM heap pointer passed through the "..." of a function stmc did not compile (printf's %s)
// reaches code that dereferences it without %gs: it faults, or reads another process mapping's
// bytes.  Warned, except where the call's constant format string prints it with %p.
void FunctionInstrumenter::warnHeapVarArgs(CallBase *CB) {
  FunctionType *FT = CB->getFunctionType();
  if (!FT->isVarArg() || CallClassifier::forwardsVarArgs(*CB))
    return;
  unsigned Fixed = FT->getNumParams();
  StringRef Fmt;
  bool HaveFmt = Fixed > 0 && getConstantStringInfo(
                                  CB->getArgOperand(Fixed - 1)->stripPointerCasts(), Fmt);
  for (unsigned K = Fixed; K < CB->arg_size(); ++K) {
    if (!isHeapPtrTy(CB->getArgOperand(K)->getType()))
      continue;
    // printf's %p prints the pointer itself; scanf's %p (like all its conversions) stores
    // through its argument.
    if (HaveFmt && !calleeOf(CB)->getName().contains("scanf") &&
        formatConversionOf(Fmt, K - Fixed) == 'p')
      continue;
    // The C library would dereference it as a plain address (snprintf's %s: a fault after the
    // program built): an error, as for its fixed parameters.  Another external function (an
    // STM_EXTERNAL one of the program's) may only pass it on: a warning.
    bool Library = CC.isLibraryCall(CB);
    diagnoseAt(Library ? DS_Error : DS_Warning, CB,
             "an STM heap pointer is passed to " + Twine(Library ? "the library function '" : "'") +
                 calleeOf(CB)->getName() +
                 "' as a variadic argument: it is %gs-relative, so code stmc did not compile "
                 "cannot dereference it",
             Twine(CopyOutHint) + "; %p prints the pointer itself");
  }
}

// An OpenMP parallel region, barrier or ordered region inside an atomic block of F (a
// taskwait: a warning, it returns when this thread runs the tasks): the block is inevitable
// from the call on (an external call), so it holds the token that the team's other threads
// need for their heap code outside blocks, and it waits for them (the region's join, the
// barrier): a deadlock (a review's program hung after the runtime's warning).  An error.
// (Such calls in functions that a block calls are not seen here: the runtime warns after 1 s.)
void FunctionInstrumenter::diagnoseWaitsInBlocks() {
  for (CallBase *CB : ExternalCalls) {
    if (!InBlock.count(CB))
      continue;
    StringRef N = calleeOf(CB)->getName();
    if (N == "__kmpc_omp_taskwait") {
      // (with one thread, or tasks that this thread runs itself, it returns)
      diagnoseAt(DS_Warning, CB,
                 "an OpenMP taskwait inside an atomic block: it waits for tasks that other "
                 "threads may run, and their heap code waits for the block to end (it is "
                 "inevitable from here on)",
                 "wait for the tasks outside the block");
      continue;
    }
    bool Fork = N.starts_with("__kmpc_fork_");
    if (!Fork && N != "__kmpc_barrier" && N != "__kmpc_ordered")
      continue;
    diagnoseAt(DS_Error, CB,
               Twine(Fork ? "an OpenMP parallel region"
                          : N == "__kmpc_barrier" ? "an OpenMP barrier"
                                                  : "an OpenMP ordered region") +
                   " inside an atomic block: the block waits for the team's other threads, "
                   "which wait for the block to end (it is inevitable from here on)",
               Fork ? "start the parallel region outside the block, and give each thread "
                      "its own atomic blocks inside it"
               : N == "__kmpc_barrier"
                   ? "end the atomic block before the barrier (a worksharing loop ends with "
                     "one: use nowait, or put the block inside the loop's body)"
                   : "put the atomic block inside the ordered region");
  }
}

// Before a call into code stmc did not compile: _stm_external_wait where the call waits for
// other threads (-stmc-wait-release), else _stm_external_enter.
void FunctionInstrumenter::emitExternalEnter(IRBuilder<> &B, Constant *Site, bool Waits) {
  Waits &= ClWaitRelease;
  A.callAbi(B, Waits ? Abi__stm_external_wait : Abi__stm_external_enter, {Site});
  if (Waits) {
    ++Cnt.ExternalWaits;
    ++NumExternalWaits;
  }
}

void FunctionInstrumenter::wrapExternal(CallBase *CB) {
  // In an atomic block the call makes the block inevitable (_stm_external_enter): it runs
  // alone from there, and other threads' commits wait for its end.  A remark says which call
  // (a user's server lost time to an `sprintf` into a local buffer in a block, and nothing
  // said where; -Rpass-missed=stm).  A call in a function that blocks call is seen only at
  // run time.
  if (InBlock.count(CB) || CC.runsOnlyInBlocks(F))
    ORE.emit([&] {
      const Function *Callee = CB->getCalledFunction();
      return OptimizationRemarkMissed("stm", "InevitableCall", CB)
             << "the call to '"
             << (Callee ? Callee->getName() : StringRef("a function through a pointer"))
             << "' makes the atomic block inevitable: it runs alone from here, and other "
                "threads' commits wait for its end (move the call out of the block, or "
                "declare a function that does no I/O and touches no shared state STM_PURE)";
    });
  Constant *Site = A.site(CB);
  IRBuilder<> B(CB);
  bool Waits = false;
  if (const Function *Callee = CB->getCalledFunction())
    for (const char *P : WaitingPrefixes)
      Waits |= Callee->getName().starts_with(P);
  emitExternalEnter(B, Site, Waits);
  if (auto *CI = dyn_cast<CallInst>(CB)) {
    if (CI->isMustTailCall())
      return;
    B.SetInsertPoint(CI->getNextNode());
    A.callAbi(B, Abi__stm_external_leave, {Site});
  } else if (auto *II = dyn_cast<InvokeInst>(CB)) {
    BasicBlock *Normal = II->getNormalDest();
    if (!Normal->getSinglePredecessor())
      Normal = SplitEdge(II->getParent(), Normal);
    B.SetInsertPoint(Normal, Normal->getFirstInsertionPt());
    A.callAbi(B, Abi__stm_external_leave, {Site});
    BasicBlock *Unwind = II->getUnwindDest();
    if (Unwind->getSinglePredecessor()) {
      B.SetInsertPoint(Unwind, Unwind->getFirstInsertionPt());
      A.callAbi(B, Abi__stm_external_leave, {Site});
    } else {
      diagnoseAt(DS_Warning, CB,
               "cannot pair _stm_external_leave on the shared unwind path of this invoke",
               "the runtime ends the external section at the next barrier");
    }
  } else {
    // callbr: leave on every successor is not attempted.
    diagnoseAt(DS_Warning, CB, "callbr to an external function not wrapped",
             "avoid asm goto around external calls");
  }
  ++Cnt.External;
  ++NumExternal;
}

void FunctionInstrumenter::remarkElided(const Access &Acc) {
  const char *Kind = Acc.IsWrite ? "write" : "read";
  switch (Acc.Elide) {
  case ElideKind::SameGranule:
    ++Cnt.ElideSame;
    ++NumElideSame;
    ORE.emit([&] {
      return OptimizationRemark("stm", "ElideSameGranule", Acc.I)
             << Kind << " barrier elided: same granule already barriered";
    });
    break;
  case ElideKind::ReadAfterWrite:
    ++Cnt.ElideRAW;
    ++NumElideRAW;
    ORE.emit([&] {
      return OptimizationRemark("stm", "ElideReadAfterWrite", Acc.I)
             << "read barrier elided: address already write-barriered";
    });
    break;
  case ElideKind::ReadBeforeWrite:
    ++Cnt.ElideRBW;
    ++NumElideRBW;
    ORE.emit([&] {
      return OptimizationRemark("stm", "ElideReadBeforeWrite", Acc.I)
             << "write barrier merged into the barrier of the preceding read";
    });
    break;
  case ElideKind::Fresh:
    ++Cnt.ElideFresh;
    ++NumElideFresh;
    ORE.emit([&] {
      return OptimizationRemark("stm", "ElideFreshAlloc", Acc.I)
             << Kind << " barrier elided: object allocated in this transaction";
    });
    break;
  case ElideKind::Immutable:
    ++Cnt.ElideImmutable;
    ++NumElideImmutable;
    ORE.emit([&] {
      return OptimizationRemark("stm", "ElideImmutable", Acc.I)
             << "read barrier elided: stm_immutable field";
    });
    break;
  case ElideKind::Hoisted:
    ++Cnt.ElideHoisted;
    ++NumElideHoisted;
    ORE.emit([&] {
      if (OnceOf.count(Acc.I))
        return OptimizationRemark("stm", "LoopInvariantOnce", Acc.I)
               << Kind << " barrier runs once per loop entry (loop-invariant address)";
      return OptimizationRemark("stm", "HoistLoopInvariant", Acc.I)
             << Kind << " barrier hoisted to the loop preheader";
    });
    break;
  case ElideKind::Ranged:
    ++Cnt.ElideRanged;
    ++NumElideRanged;
    ORE.emit([&] {
      return OptimizationRemark("stm", "RangeBarrier", Acc.I)
             << Kind << " barrier covered by a range barrier in the loop preheader";
    });
    break;
  case ElideKind::ReadOnlyClone:
    ++Cnt.ROReads;
    ORE.emit([&] {
      return OptimizationRemark("stm", "ReadOnlyClone", Acc.I)
             << "no read barrier in the read-only clone";
    });
    break;
  case ElideKind::None:
    break;
  }
}

void FunctionInstrumenter::run(FunctionAnalysisManager &FAM) {
  scalarizeSmallMemIntrinsics();
  if (!ReadOnlyClone && F.callsFunctionThatReturnsTwice())
    warnGlobalsUpdatedInBlocks();
  if (F.callsFunctionThatReturnsTwice()) {
    // (at -O0 every local stays in memory: only the restore has work there)
    bool Volatile = ClKeepLocals && !F.hasOptNone();
    if (Volatile || (ClRestoreLocals && !ReadOnlyClone))
      keepLocalsAcrossRetry(Volatile);
    if (ClOutlineLoops && !F.hasOptNone())
      keepLoopsOutOfLine();
  }
  if (!ReadOnlyClone)
    warnFlatCasts();
  promote(FAM);
  if (rewriteCasts())
    FAM.invalidate(F, PreservedAnalyses::none());
  if (ClSyncAtomics && !ReadOnlyClone)
    syncAtomics();
  collect();

  if (ClSafepoints && !ReadOnlyClone) {
    SmallVector<std::pair<const BasicBlock *, const BasicBlock *>, 8> Edges;
    FindFunctionBackedges(F, Edges);
    SmallPtrSet<const BasicBlock *, 8> Seen;
    for (auto &E : Edges)
      if (Seen.insert(E.first).second) // one safe point per source block
        Backedges.push_back({const_cast<Instruction *>(E.first->getTerminator()),
                             const_cast<BasicBlock *>(E.second)});
  }
  {
    DominatorTree DT(F);
    LoopInfo LI(DT);
    dropQuietLoopSafepoints(LI);
    findBlockRegions(DT);
    diagnoseWaitsInBlocks();
    dropBlockSafepoints(LI);
    analyseElisions(DT);
    analyseLoops(DT, LI);
    analyseRanges(DT, LI);
  }

  // Emission.  Nothing below consults the CFG analyses any more.
  for (CallInst *CI : MemIntrinsics)
    if (A.lowerMemIntrinsic(CI)) {
      ++Cnt.Intrinsics;
      ++NumIntrinsics;
    }
  for (CallBase *CB : ExternalCalls)
    wrapExternal(CB);
  if (ClWrapExternal && !ReadOnlyClone && CC.isForeignCallback(F))
    for (BasicBlock &BB : F)
      if (auto *RI = dyn_cast<ReturnInst>(BB.getTerminator())) {
        // back into code stmc did not compile (isForeignCallback): as before an external call
        // that waits (libomp's join barrier, a pool's wait for work)
        IRBuilder<> B(RI);
        emitExternalEnter(B, A.site(RI), true);
        ++Cnt.CallbackReturns;
        ++NumCallbackReturns;
      }
  for (Access &Acc : Accesses) {
    if (Acc.Elide == ElideKind::Immutable) {
      // No marker, but not no check: outside atomic blocks the thread may hold no segment
      // (its %gs is the dummy's: thread start, after pthread_join or a blocking wait), or
      // hold one whose snapshot is stale; RV == 0 says so, and the slow path takes a segment
      // and starts the implicit transaction (reading a field without it faulted).
      remarkElided(Acc);
      emitNoTransactionCheck(Acc.I, Acc.Ptr, Acc.Size, A.site(Acc.I));
      continue;
    }
    if (Acc.Elide != ElideKind::None) {
      remarkElided(Acc);
      continue;
    }
    if (Acc.ImmutableStore) {
      ++Cnt.ImmutableStores;
      ++NumImmutableStores;
      ORE.emit([&] {
        return OptimizationRemarkMissed("stm", "ImmutableWriteChecked", Acc.I)
               << "store to an stm_immutable field: _stm_write_immutable (checked under "
                  "STM_DEBUG=1)";
      });
      IRBuilder<> B(Acc.I);
      A.callAbi(B, Abi__stm_write_immutable,
                {B.CreatePtrToInt(Acc.Ptr, A.I64Ty, "stmc.a"),
                 ConstantInt::get(A.I64Ty, Acc.Size), A.site(Acc.I)});
      continue;
    }
    if (isa<LoadInst>(Acc.I)) {
      ++Cnt.Loads;
      ++NumLoads;
    } else if (isa<StoreInst>(Acc.I)) {
      ++Cnt.Stores;
      ++NumStores;
    } else {
      ++Cnt.RMW;
      ++NumRMW;
    }
    ORE.emit([&] {
      return OptimizationRemarkMissed("stm", "BarrierInserted", Acc.I)
             << (Acc.IsWrite ? "write" : "read") << " barrier inserted"
             << (Acc.Upgraded ? " (a read upgraded for the store that follows)" : "");
    });
    // A read that was upgraded to the write barrier of a later store (or whose source was)
    // has no RV to share: it loads its own.
    Value *Reuse = nullptr;
    if (!Acc.IsWrite && Acc.RVFrom >= 0 && Accesses[Acc.RVFrom].RV) {
      Reuse = Accesses[Acc.RVFrom].RV;
      ++Cnt.SharedRV;
    }
    Acc.RV = emitBarrier(Acc.I, Acc.Ptr, Acc.Size, Acc.IsWrite, Acc.MaySpan, A.site(Acc.I),
                         Reuse);
  }
  if (!Onces.empty()) {
    IRBuilder<> EB(&F.getEntryBlock(), F.getEntryBlock().getFirstInsertionPt());
    for (OnceBarrier &O : Onces) {
      O.Flag = EB.CreateAlloca(A.I8Ty->getInt1Ty(A.C), nullptr, "stmc.once");
      IRBuilder<>(PreheaderTerm[O.Header]).CreateStore(ConstantInt::getFalse(A.C), O.Flag);
      ++Cnt.OnceBarriers;
    }
    for (auto &[I, Idx] : OnceOf) {
      OnceBarrier &O = Onces[Idx];
      Access &Acc = Accesses[AccessIndex[I]];
      IRBuilder<> B(I);
      Value *Done = B.CreateLoad(A.I8Ty->getInt1Ty(A.C), O.Flag, "stmc.done");
      Instruction *Then = SplitBlockAndInsertIfThen(B.CreateNot(Done), I, false);
      StoreInst *Set = IRBuilder<>(Then).CreateStore(ConstantInt::getTrue(A.C), O.Flag);
      emitBarrier(Set, Acc.Ptr, Acc.Size, Acc.IsWrite, Acc.MaySpan, A.site(I));
    }
  }
  for (auto &[Header, List] : Hoisted) {
    Instruction *T = PreheaderTerm[Header];
    for (HoistedBarrier &H : List) {
      emitHoisted(T, H);
      ++Cnt.HoistedBarriers;
    }
  }
  for (auto &[Header, List] : Ranges) {
    for (RangeBarrier &R : List) {
      emitRange(PreheaderTerm[Header], R);
      ++Cnt.RangeBarriers;
      ++NumRangeBarriers;
      if (R.Strided) {
        ++Cnt.StridedRanges;
        ++NumStridedRanges;
      }
      if (R.StepS) {
        ++Cnt.RuntimeStrides;
        ++NumRuntimeStrides;
      }
      if (!R.StepS && R.Step == 0) {
        ++Cnt.InvariantRanges;
        ++NumInvariantRanges;
      }
      if (R.IsWrite) {
        ++Cnt.WriteRanges;
        ++NumWriteRanges;
      }
    }
  }
  for (auto &E : Backedges)
    emitSafepoint(E.first, E.second);

  // User accesses never touch the markers or the header: tell alias analysis.
  if (A.MetaScopeList)
    for (Instruction *I : UserMemOps)
      I->setMetadata(LLVMContext::MD_noalias,
                     MDNode::concatenate(I->getMetadata(LLVMContext::MD_noalias),
                                         A.MetaScopeList));
  // Last: it copies loops (the copies' accesses carry the metadata above) and removes the
  // blocks that no longer run, which the lists above may point into.
  versionShortLoops();
}

// A load through %gs takes longer to deliver its value than one through a base register (on
// this project's VM, a chase of dependent loads within L1: 2.5-2.8 ns a step against 1.7-1.9
// ns; examples/bench/chase.c), and a pointer chase (a list or tree walk) waits for each load
// in turn.  The thread's segment, hence the base of %gs, changes only inside runtime calls
// (acquiring a segment on a first access, giving it back at a block's end or a safe point).
// So in a loop that calls nothing, in the final IR (typically a read-only clone's loop inlined
// into its caller, or a loop whose barriers were all elided or hoisted and that has no safe
// point), the segment's flat base, loaded from its header (STMC_HDR_BASE) at the end of the
// block that enters the loop (after any hoisted barrier), is right for every iteration, and a
// simple heap load becomes a plain load of base + offset.  Only where that address still fits
// one x86 addressing mode (base register + the pointer's register + a constant): a load of an
// indexed element (p->child[i]) keeps %gs, which adds the segment base for free (through the
// flat base it needs an extra lea, which costs as much as the prefix: chase.c).  Loops with a
// heap store are left alone too, and so are stores, volatile and atomic loads.  This runs in
// the late pass, on the final IR, so that no later inlining or rewriting of the address can
// undo the checks.  Switch -stmc-flat-loops; counted by -stmc-report.
bool flatAddressFolds(Value *P, const DataLayout &DL) {
  APInt Off(DL.getIndexTypeSizeInBits(P->getType()), 0);
  Value *X = P->stripAndAccumulateConstantOffsets(DL, Off, /*AllowNonInbounds=*/true);
  if (!Off.isSignedIntN(32))
    return false;
  return isa<PHINode>(X) || isa<LoadInst>(X) || isa<Argument>(X) || isa<SelectInst>(X) ||
         isa<CallBase>(X);
}

// Returns (loads flattened, loops).
std::pair<unsigned, unsigned> flattenCallFreeLoops(Function &F, AbiContext &A) {
  unsigned NLoads = 0, NLoops = 0;
  if (!ClFlatLoops || F.isDeclaration() || F.hasOptNone())
    return {0, 0};
  // A call may switch segments; a heap store is left out too, so that no flat load shares
  // a loop with a %gs store to the same bytes (they may alias: nothing may reorder them, but
  // a read-only loop does not depend on that).
  auto Disqualified = [](Loop *L) {
    for (BasicBlock *BB : L->blocks())
      for (Instruction &I : *BB) {
        if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
          // (lifetime markers and the like write no heap; a masked store to it does)
          if (II->mayWriteToMemory() &&
              any_of(II->args(), [](Value *V) { return isHeapPtrTy(V->getType()); }))
            return true;
          continue;
        }
        if (isa<CallBase>(I))
          return true;
        if (I.mayWriteToMemory()) {
          Value *P = getLoadStorePointerOperand(&I);
          if (auto *RMW = dyn_cast<AtomicRMWInst>(&I))
            P = RMW->getPointerOperand();
          else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I))
            P = CX->getPointerOperand();
          if (!P || isHeapPtrTy(P->getType()))
            return true;
        }
      }
    return false;
  };
  DominatorTree DT(F);
  LoopInfo LI(DT);
  SmallVector<Loop *, 8> Work(LI.begin(), LI.end());
  while (!Work.empty()) {
    Loop *L = Work.pop_back_val();
    // The one block outside the loop that enters it (not necessarily a dedicated preheader:
    // the pipeline's last SimplifyCFG merges those away); the base loads at its end, which
    // costs a load on its other way out.
    BasicBlock *PH = L->getLoopPredecessor();
    // (An invoke or callbr entering the loop would run after the base load.)
    if (!PH || isa<CallBase>(PH->getTerminator()) || Disqualified(L)) {
      Work.append(L->begin(), L->end()); // a subloop may still qualify
      continue;
    }
    SmallVector<LoadInst *, 8> Loads;
    for (BasicBlock *BB : L->blocks())
      for (Instruction &I : *BB)
        if (auto *Ld = dyn_cast<LoadInst>(&I))
          if (Ld->isSimple() && isHeapPtrTy(Ld->getPointerOperandType()) &&
              flatAddressFolds(Ld->getPointerOperand(), A.DL))
            Loads.push_back(Ld);
    if (Loads.empty())
      continue;
    IRBuilder<> PB(PH->getTerminator());
    Value *Base = PB.CreateIntToPtr(
        A.loadMeta(PB, A.I64Ty, A.gsAddr(STMC_HDR_BASE), "stmc.segbase"),
        PointerType::get(A.C, 0), "stmc.flatbase");
    for (LoadInst *Ld : Loads) {
      IRBuilder<> B(Ld);
      Value *Off = B.CreatePtrToInt(Ld->getPointerOperand(), A.I64Ty, "stmc.off");
      Ld->setOperand(LoadInst::getPointerOperandIndex(),
                     B.CreateGEP(A.I8Ty, Base, Off, "stmc.flat"));
    }
    NLoads += Loads.size();
    ++NLoops;
  }
  NumFlatLoads += NLoads;
  return {NLoads, NLoops};
}

// ---- module-level pieces --------------------------------------------------------------------

// Static initializers cannot hold heap pointers (offsets exist only at run time, and the
// backend cannot emit them): error with the global's position, then null it so the backend
// does not crash.
// A null pointer cast to another address space ((T STM_HEAP *)(void *)0, or NULL): a null
// heap pointer, though no null value to LLVM.
bool isNullAddrSpaceCast(const Constant *C) {
  const auto *CE = dyn_cast<ConstantExpr>(C);
  return CE && CE->getOpcode() == Instruction::AddrSpaceCast &&
         cast<Constant>(CE->getOperand(0))->isNullValue();
}

bool containsHeapPointer(const Constant *C) {
  if (isNullAddrSpaceCast(C))
    return false;
  if (isHeapPtrTy(C->getType()) && !C->isNullValue() && !isa<UndefValue>(C))
    return true;
  for (const Use &U : C->operands())
    if (auto *Op = dyn_cast<Constant>(U.get()))
      if (!isa<GlobalValue>(Op) && containsHeapPointer(Op))
        return true;
  return false;
}

// (T STM_HEAP *)NULL in a static initializer, folded to the heap's null: the backend cannot
// emit the address-space cast of a null pointer ("Unsupported expression in static
// initializer", a crash at -O0; optimisations folded it only in globals they touched).
Constant *foldHeapNullCasts(Constant *C) {
  if (isNullAddrSpaceCast(C))
    return Constant::getNullValue(C->getType());
  if (!isa<ConstantAggregate>(C))
    return C;
  SmallVector<Constant *, 8> Ops;
  bool Changed = false;
  for (const Use &U : C->operands()) {
    auto *Op = cast<Constant>(U.get());
    Constant *N = isa<GlobalValue>(Op) ? Op : foldHeapNullCasts(Op);
    Changed |= N != Op;
    Ops.push_back(N);
  }
  if (!Changed)
    return C;
  if (auto *CS = dyn_cast<ConstantStruct>(C))
    return ConstantStruct::get(CS->getType(), Ops);
  if (auto *CA = dyn_cast<ConstantArray>(C))
    return ConstantArray::get(CA->getType(), Ops);
  return ConstantVector::get(Ops);
}

std::string globalLocation(Module &M, GlobalVariable &GV) {
  SmallVector<DIGlobalVariableExpression *, 1> GVEs;
  GV.getDebugInfo(GVEs);
  if (!GVEs.empty()) {
    DIGlobalVariable *DV = GVEs[0]->getVariable();
    return (DV->getFilename() + ":" + Twine(DV->getLine())).str();
  }
  return (M.getSourceFileName() + ": global '" + GV.getName() + "'").str();
}

void checkStaticInitializers(Module &M) {
  for (GlobalVariable &GV : M.globals()) {
    if (GV.getAddressSpace() == HeapAS)
      diagnose(M.getContext(), DS_Error, globalLocation(M, GV),
               "global variable '" + GV.getName().str() + "' placed in the STM heap address space",
               "STM heap objects come from stm_alloc(); keep a STM_HEAP pointer in a plain "
               "global instead ('T STM_HEAP *p', not 'T STM_HEAP v')");
    if (!GV.hasInitializer() || GV.getName().starts_with("llvm."))
      continue;
    if (!containsHeapPointer(GV.getInitializer())) {
      Constant *Init = GV.getInitializer(), *Folded = foldHeapNullCasts(Init);
      if (Folded != Init)
        GV.setInitializer(Folded);
      continue;
    }
    std::string Where = globalLocation(M, GV);
    diagnose(M.getContext(), DS_Error, Where,
             "static initializer holds an STM heap pointer ('" + GV.getName().str() + "')",
             "heap pointers are offsets that exist only at run time: initialise it at run "
             "time (in main or a constructor)");
    GV.setInitializer(Constant::getNullValue(GV.getValueType()));
  }
}

// Loads through llvm.ptr.annotation(..., "stm_immutable") need no read barrier; stores through
// it are noted for _stm_write_immutable.  The annotation calls are consumed (replaced by their
// pointer) so they do not block optimisation.
void consumeImmutableAnnotations(Module &M, DenseSet<Instruction *> &ImmutableLoads,
                                 DenseSet<Instruction *> &ImmutableStores) {
  SmallVector<CallInst *, 16> Calls;
  for (Function &Fn : M)
    if (Fn.getIntrinsicID() == Intrinsic::ptr_annotation)
      for (User *U : Fn.users())
        if (auto *CI = dyn_cast<CallInst>(U))
          if (CI->getCalledFunction() == &Fn)
            Calls.push_back(CI);
  for (CallInst *CI : Calls) {
    StringRef Str;
    if (!getConstantStringInfo(CI->getArgOperand(1)->stripPointerCasts(), Str) ||
        Str != "stm_immutable")
      continue;
    SmallVector<Value *, 8> Work{CI};
    SmallPtrSet<Value *, 8> Seen;
    while (!Work.empty()) {
      Value *V = Work.pop_back_val();
      if (!Seen.insert(V).second)
        continue;
      for (User *U : V->users()) {
        if (auto *LI = dyn_cast<LoadInst>(U)) {
          if (LI->getPointerOperand() == V)
            ImmutableLoads.insert(LI);
        } else if (auto *SI = dyn_cast<StoreInst>(U)) {
          if (SI->getPointerOperand() == V)
            ImmutableStores.insert(SI);
        } else if (isa<GetElementPtrInst>(U) || isa<BitCastInst>(U)) {
          Work.push_back(U);
        }
      }
    }
    CI->replaceAllUsesWith(CI->getArgOperand(0));
    CI->eraseFromParent();
  }
}

// ---- read-only clones (-stmc-readonly-clones) ----------------------------------------------
// Candidates: defined, optimised (not optnone), not variadic, no setjmp (an atomic block of
// its own), not STM_PURE/STM_EXTERNAL or the runtime's, reading the STM heap, and called
// directly somewhere.  Their clones call each other's clones directly.
DenseMap<Function *, Function *> makeReadOnlyClones(Module &M, CallClassifier &CC,
                                                    Counters &Cnt) {
  DenseMap<Function *, Function *> Clones;
  if (!ClReadOnlyClones)
    return Clones;
  SmallVector<Function *, 16> Cands;
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasOptNone() || F.isVarArg() ||
        F.callsFunctionThatReturnsTwice() || CallClassifier::isRuntimeName(F.getName()) ||
        CC.isAnnotated(&F))
      continue;
    // Blocks whose address is taken (computed goto): a clone's label table would still
    // point into the original.
    if (any_of(F, [](const BasicBlock &BB) { return BB.hasAddressTaken(); }))
      continue;
    // A definition the linker may replace (weak, inline, interposable): the clone would keep
    // this body while the program calls another (a weak rd() overridden by a strong one in
    // another file ran the weak body in read-only attempts only: 4 instead of 301).
    if (!F.isDefinitionExact() || F.isInterposable())
      continue;
    bool Reads = any_of(instructions(F), [](const Instruction &I) {
      auto *LI = dyn_cast<LoadInst>(&I);
      return LI && isHeapPtrTy(LI->getPointerOperandType());
    });
    bool Called = any_of(F.users(), [&](const User *U) {
      auto *CI = dyn_cast<CallInst>(U);
      return CI && CI->getCalledFunction() == &F;
    });
    if (Reads && Called)
      Cands.push_back(&F);
  }
  for (Function *F : Cands) {
    ValueToValueMapTy VMap;
    Function *C = CloneFunction(F, VMap);
    C->setName(F->getName() + ".stmc.ro");
    C->setLinkage(GlobalValue::InternalLinkage);
    C->setVisibility(GlobalValue::DefaultVisibility);
    C->setComdat(nullptr);
    C->addFnAttr(ReadOnlyCloneAttr);
    Clones[F] = C;
    ++Cnt.ROClones;
  }
  for (auto &KV : Clones)
    for (Instruction &I : instructions(*KV.second))
      if (auto *CI = dyn_cast<CallInst>(&I))
        if (Function *Callee = CI->getCalledFunction()) {
          auto It = Clones.find(Callee);
          if (It != Clones.end())
            CI->setCalledFunction(It->second);
        }
  return Clones;
}

// After instrumentation, in the other functions: a direct call to a cloned function calls the
// clone when RV == 1 (an unmarked transaction runs), else the function.
void dispatchReadOnlyClones(Module &M, AbiContext &A,
                            const DenseMap<Function *, Function *> &Clones, Counters &Cnt) {
  if (Clones.empty())
    return;
  SmallVector<std::pair<CallInst *, Function *>, 32> Sites;
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasOptNone() || F.hasFnAttribute(ReadOnlyCloneAttr) ||
        CallClassifier::isRuntimeName(F.getName()))
      continue;
    for (Instruction &I : instructions(F))
      if (auto *CI = dyn_cast<CallInst>(&I))
        if (Function *Callee = CI->getCalledFunction())
          if (!CI->isMustTailCall()) {
            auto It = Clones.find(Callee);
            if (It != Clones.end())
              Sites.push_back({CI, It->second});
          }
  }
  for (auto &[CI, Clone] : Sites) {
    IRBuilder<> B(CI);
    LoadInst *RV = A.loadMeta(B, A.I8Ty, A.gsAddr(STMC_HDR_RV), "stmc.rv");
    Value *Unmarked = B.CreateICmpEQ(RV, ConstantInt::get(A.I8Ty, STMC_VERSION_UNMARKED));
    Instruction *ThenT = nullptr, *ElseT = nullptr;
    SplitBlockAndInsertIfThenElse(Unmarked, CI, &ThenT, &ElseT);
    BasicBlock *Tail = CI->getParent();
    auto *RC = cast<CallInst>(CI->clone());
    RC->setCalledFunction(Clone);
    RC->insertBefore(ThenT->getIterator());
    CI->moveBefore(*ElseT->getParent(), ElseT->getIterator());
    if (!CI->getType()->isVoidTy()) {
      PHINode *P = PHINode::Create(CI->getType(), 2, "stmc.call");
      P->insertBefore(Tail->getFirstNonPHIIt());
      CI->replaceAllUsesWith(P);
      P->addIncoming(RC, RC->getParent());
      P->addIncoming(CI, CI->getParent());
    }
    ++Cnt.RODispatched;
  }
}

void printReport(Module &M, const Counters &C) {
  errs() << "stmc report: " << M.getSourceFileName() << "\n"
         << "  instrumented: loads " << C.Loads << ", stores " << C.Stores
         << ", atomicrmw/cmpxchg " << C.RMW << ", memory intrinsics " << C.Intrinsics
         << " (+" << C.IntrinsicsLate << " late), immutable-field stores checked "
         << C.ImmutableStores << "\n"
         << "  elided: same-granule " << C.ElideSame << ", read-after-write " << C.ElideRAW
         << ", read-before-write " << C.ElideRBW
         << ", fresh-alloc " << C.ElideFresh << ", immutable " << C.ElideImmutable
         << ", loop-invariant " << C.ElideHoisted << " (into " << C.HoistedBarriers
         << " hoisted barriers, " << C.OnceBarriers << " once per loop entry), ranged "
         << C.ElideRanged << " (into " << C.RangeBarriers << " range barriers, "
         << C.StridedRanges << " of them strided (" << C.RuntimeStrides
         << " by a stride known at run time), " << C.InvariantRanges
         << " at a loop-invariant address, " << C.WriteRanges
         << " for writes; heap loads moved "
         << "out of loops in blocks " << C.HoistedBlockLoads << ", past the loop's stores "
         << C.HoistedPastStores << "; plain loads moved out of loops " << C.HoistedPlainLoads
         << ")\n"
         << "  read barriers sharing an earlier RV " << C.SharedRV << "\n"
         << "  read-only clones " << C.ROClones << " (reads without a barrier " << C.ROReads
         << ", call sites dispatching to them " << C.RODispatched << ")\n"
         << "  safe points " << C.Safepoints << " (" << C.SafepointsElided
         << " left out of loops that cannot wait, " << C.BlockSafepointsElided
         << " of loops inside atomic blocks, " << C.ShortLoopCopies
         << " loops copied without one for short runs), external calls wrapped " << C.External
         << " (returns from callbacks into such code " << C.CallbackReturns
         << "; waiting for other threads " << C.ExternalWaits << ")"
         << ", atomic operations ending the implicit transaction " << C.AtomicSyncs
         << " (relaxed ones on plain memory left alone " << C.RelaxedNoSync << ")"
         << ", casts rewritten " << C.Casts << "\n"
         << "  locals restored at an atomic block's retry " << C.RestoredLocals << " ("
         << C.VolatileMembersKept << " of them but their volatile members)"
         << ", kept in memory across it " << C.KeptLocals << " (in a register through "
         << C.LoopLocalRegisters << " loops)"
         << ", calls to functions with loops kept out of line " << C.OutlinedCalls << "\n"
         << "  small memory intrinsics made loads and stores " << C.ScalarizedMem << "\n"
         << "  functions whose memory attributes were dropped (they may end a transaction) "
         << C.MemoryPromisesDropped << "\n";
}

} // namespace

namespace stmc {

// The address of a function stmc did not compile (the C library's pthread_mutex_lock, an
// STM_EXTERNAL one) taken where code stmc compiles may call through it: such a call is an
// indirect call, taken for a call into code stmc compiled, so it is no external call: in an
// atomic block it does not make the block inevitable (a retry repeats its output), outside
// blocks it does not end the implicit transaction (a lock taken through it while another
// thread waits for the token deadlocked; a review's find).  Warned where the address is
// taken.  Not where it is handed straight to a function stmc did not compile (qsort's
// comparator, atexit's handler): only that code calls it.
static void warnExternalAddressTaken(Module &M, CallClassifier &CC) {
  const Function *AnyDef = nullptr;
  for (const Function &F : M)
    if (!F.isDeclaration()) {
      AnyDef = &F;
      break;
    }
  if (!AnyDef)
    return;
  for (Function &F : M) {
    if (F.isIntrinsic() || !CC.isExternalFunction(F, *AnyDef))
      continue;
    for (Use &U : F.uses()) {
      auto *I = dyn_cast<Instruction>(U.getUser());
      std::string Where;
      if (I) {
        auto *CB = dyn_cast<CallBase>(I);
        if (CB && CB->isCallee(&U))
          continue; // a call of it, wrapped as external
        if (CB && CB->isArgOperand(&U) &&
            (CC.isExternal(CB) ||
             (calleeOf(CB) && CallClassifier::isRuntimeName(calleeOf(CB)->getName()))))
          continue; // handed to code stmc did not compile (stm_on_commit's callback too)
        if (isa<ICmpInst>(I))
          continue; // compared, not kept
      } else if (auto *GV = dyn_cast<GlobalVariable>(
                     U.getUser()->stripPointerCasts())) { // a static table's initializer
        if (GV->getName().starts_with("llvm."))
          continue;
        Where = globalLocation(M, *GV);
      } else if (isa<Constant>(U.getUser())) {
        // an aggregate initializer: the global that holds it
        const GlobalVariable *Holder = nullptr;
        SmallVector<const User *, 4> Work{U.getUser()};
        while (!Work.empty() && !Holder) {
          const User *V = Work.pop_back_val();
          for (const User *W : V->users()) {
            if (const auto *G = dyn_cast<GlobalVariable>(W))
              Holder = G;
            else if (isa<Constant>(W))
              Work.push_back(W);
          }
        }
        if (!Holder || Holder->getName().starts_with("llvm."))
          continue;
        Where = globalLocation(M, *const_cast<GlobalVariable *>(Holder));
      } else {
        continue;
      }
      std::string What = "the address of '" + F.getName().str() +
                   "', a function stmc did not compile, is taken here: a call through it is "
                   "taken for a call into code stmc compiled, so it is no external call (in "
                   "an atomic block it does not make the block inevitable, and a retry "
                   "repeats it; outside blocks it does not end the implicit transaction, and "
                   "a call that blocks can deadlock)";
      const char *Hint = "call it through a function of your own that calls it directly, and "
                         "take that function's address";
      if (I)
        diagnoseAt(DS_Warning, I, What, Hint);
      else
        diagnose(M.getContext(), DS_Warning, Where, What, Hint);
    }
  }
}

// A function declared `pure` or `const` (memory(read), memory(none)), or with any other promise
// about the memory it touches, whose call may end the running transaction (a loop's safe
// point, an external call: CallClassifier::mayEndTransaction) writes memory after all: the
// segment header's RV, and the segment itself.  Kept, the promise let GVN reuse a header load
// made before the call after it (a review: a `pure` list walk's safe point ended the implicit
// transaction and gave the segment back, and the next read took the fast path with the RV
// loaded before the call: "heap access ... in a thread that holds no segment", 5 of 6 runs at
// 16 threads).  The promise goes, from the function and from its call sites.
static void dropMemoryPromises(Module &M, CallClassifier &CC, Counters &Cnt) {
  // The calls of each function, also through an alias of it; calls of anything else (through
  // a pointer, an ifunc) may reach a function that ends the transaction: their own promises go.
  MapVector<Function *, SmallVector<CallBase *, 4>> Sites;
  for (Function &Caller : M)
    for (Instruction &I : instructions(Caller))
      if (auto *CB = dyn_cast<CallBase>(&I)) {
        if (isa<IntrinsicInst>(CB) || CB->isInlineAsm())
          continue;
        if (Function *F = calleeOf(CB))
          Sites[F].push_back(CB);
        else if (CB->getAttributes().hasFnAttr(Attribute::Memory))
          CB->removeFnAttr(Attribute::Memory);
      }
  for (Function &F : M)
    if (!F.isDeclaration())
      Sites.insert({&F, {}});
  for (auto &[F, Calls] : Sites) {
    if (F->isIntrinsic() || CallClassifier::isRuntimeName(F->getName()))
      continue;
    bool Promises = F->getMemoryEffects() != MemoryEffects::unknown();
    for (CallBase *CB : Calls)
      Promises |= CB->getAttributes().hasFnAttr(Attribute::Memory);
    // (the caller only names the target whose C library is asked about)
    const Function *Caller =
        !F->isDeclaration() ? F : Calls.empty() ? nullptr : Calls.front()->getFunction();
    // The C library's own functions (glibc's inline atoi, which calls strtol) end nothing.
    if (!Promises || !Caller || CC.isLibFunction(*F, *Caller) ||
        !CC.mayEndTransaction(F, *Caller, 3))
      continue;
    F->removeFnAttr(Attribute::Memory);
    for (CallBase *CB : Calls)
      CB->removeFnAttr(Attribute::Memory);
    ++Cnt.MemoryPromisesDropped;
  }
}

PreservedAnalyses InstrumentPass::run(Module &M, ModuleAnalysisManager &MAM) {
  if (M.getModuleFlag("stmc.instrumented"))
    return PreservedAnalyses::all();
  M.addModuleFlag(Module::Max, "stmc.instrumented", 1);

  Counters Cnt;
  AbiContext A(M);
  MDBuilder MDB(A.C);
  MDNode *Domain = MDB.createAnonymousAliasScopeDomain("stmc.barriers");
  A.HdrScope = MDB.createAnonymousAliasScope(Domain, "stmc.header");
  A.MarkScope = MDB.createAnonymousAliasScope(Domain, "stmc.markers");
  A.WsScope = MDB.createAnonymousAliasScope(Domain, "stmc.wset");
  A.MetaScopeList = MDNode::get(A.C, {A.HdrScope, A.MarkScope, A.WsScope});

  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  CallClassifier CC(M, FAM);
  CalleeGlobalUpdates CGU(CC);
  checkStaticInitializers(M);
  DenseSet<Instruction *> ImmutableLoads, ImmutableStores;
  consumeImmutableAnnotations(M, ImmutableLoads, ImmutableStores);

  if (ClPureBoundaryCheck) // (=0: the old rule, promises kept, calls no boundaries)
    dropMemoryPromises(M, CC, Cnt);
  if (ClWrapExternal)
    warnExternalAddressTaken(M, CC);
  DenseMap<Function *, Function *> Clones = makeReadOnlyClones(M, CC, Cnt);
  CC.setOnlyInBlocks(functionsOnlyInBlocks(M));
  for (Function &F : M) {
    // The runtime's inline helpers (stm_read, stm_write, stm_safepoint in <stmc.h>) address
    // the segment header and markers themselves: never instrumented.
    if (F.isDeclaration() || CallClassifier::isRuntimeName(F.getName()))
      continue;
    // A function with an atomic block is never inlined: the locals that a retry must find
    // changed are chosen per function, here, before inlining, so a caller's locals changed in
    // an inlined block would be kept in registers that the abort's longjmp restores.  LLVM
    // refuses to inline a function with a returns-twice call, but not when the call is an
    // invoke (-fexceptions): an always_inline function with a block was inlined there, and
    // its caller's count of the block's runs lost every retried one.
    // A call site's alwaysinline (clang's for a call in a `flatten` function, or
    // [[clang::always_inline]] on the statement) outranks the callee's noinline: such calls
    // get noinline too (a review: `flatten` with -fexceptions inlined a block's function and
    // lost the caller's count of its retried runs, 484 of 1,000 left).
    if (F.callsFunctionThatReturnsTwice()) {
      if (!F.hasFnAttribute(Attribute::NoInline)) {
        F.removeFnAttr(Attribute::AlwaysInline);
        F.addFnAttr(Attribute::NoInline);
      }
      for (User *U : F.users())
        if (auto *CB = dyn_cast<CallBase>(U))
          if (CB->getCalledOperand() == &F) {
            CB->removeFnAttr(Attribute::AlwaysInline);
            CB->addFnAttr(Attribute::NoInline);
          }
    }
    // (what clang made is verified first: clang 19 itself calls masked.expandload and
    // compressstore, whose pointer it does not overload, with a heap pointer; not the pass's)
    bool WasValid = ClVerify && !verifyFunction(F);
    FunctionInstrumenter(F, A, CC, Cnt, CGU, ImmutableLoads, ImmutableStores).run(FAM);
    if (ClTestBreakIR) { // (test hook: IR that does not verify, for the check below)
      auto *Bad = BinaryOperator::CreateAdd(ConstantInt::get(A.I64Ty, 0),
                                            ConstantInt::get(A.I64Ty, 1), "stmc.test.broken");
      Bad->insertBefore(F.getEntryBlock().getTerminator()->getIterator());
      Bad->setOperand(0, Bad);
    }
    // clang runs no verifier on the optimiser's IR (-disable-llvm-verifier): IR the pass broke
    // went on silently at -O1/-O2, and crashed a later pass at -O3 (a review: an RV that no
    // longer dominated its uses).  An error naming the function instead, a few ms a module.
    if (WasValid) {
      std::string Why;
      raw_string_ostream OS(Why);
      if (verifyFunction(F, &OS)) {
        StringRef First = StringRef(OS.str()).split('\n').first;
        diagnose(M.getContext(), DS_Error, M.getSourceFileName(),
                 "internal error: the instrumented code of function '" + F.getName() +
                     "' does not verify (" + First + ")",
                 "please report it; -mllvm -stmc-verify=0 goes on, as a compile with a "
                 "verifier off would");
        F.deleteBody(); // (the compile fails: later passes must not meet the broken body)
      }
    }
  }
  dispatchReadOnlyClones(M, A, Clones, Cnt);
  A.referenceAbiVersion();
  if (ClReport)
    printReport(M, Cnt);
  return PreservedAnalyses::none();
}

static bool lowerLateIntrinsics(Module &M) {
  SmallVector<CallInst *, 8> Todo;
  for (Function &Fn : M) {
    Intrinsic::ID IID = Fn.getIntrinsicID();
    if (IID != Intrinsic::memcpy && IID != Intrinsic::memcpy_inline &&
        IID != Intrinsic::memmove && IID != Intrinsic::memset &&
        IID != Intrinsic::memset_inline)
      continue;
    for (User *U : Fn.users())
      if (auto *CI = dyn_cast<CallInst>(U))
        if (CI->getCalledFunction() == &Fn)
          Todo.push_back(CI);
  }
  if (Todo.empty())
    return false;
  AbiContext A(M);
  unsigned N = 0;
  for (CallInst *CI : Todo)
    if (A.lowerMemIntrinsic(CI))
      ++N;
  NumIntrinsicsLate += N;
  if (ClReport && N)
    errs() << "stmc report: " << M.getSourceFileName() << ": late safety net lowered " << N
           << " memory intrinsic(s)\n";
  return N > 0;
}

PreservedAnalyses LowerLatePass::run(Module &M, ModuleAnalysisManager &) {
  bool Changed = lowerLateIntrinsics(M);
  if (ClFlatLoops && M.getModuleFlag("stmc.instrumented")) {
    AbiContext A(M);
    unsigned NLoads = 0, NLoops = 0;
    for (Function &F : M) {
      auto [L, N] = flattenCallFreeLoops(F, A);
      NLoads += L;
      NLoops += N;
    }
    if (ClReport && NLoads)
      errs() << "stmc report: " << M.getSourceFileName() << ": heap loads through the "
             << "segment base in call-free loops " << NLoads << " (in " << NLoops
             << " loops)\n";
    Changed |= NLoads > 0;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

PreservedAnalyses HeapifyPass::run(Module &M, ModuleAnalysisManager &) {
  LLVMContext &C = M.getContext();
  PointerType *HeapPtrTy = PointerType::get(C, HeapAS);
  bool Changed = false;
  for (Function &F : M)
    for (Instruction &I : instructions(F)) {
      int Op = -1;
      if (isa<LoadInst>(I))
        Op = 0;
      else if (isa<StoreInst>(I))
        Op = 1;
      else if (isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I))
        Op = 0;
      if (Op < 0)
        continue;
      Value *P = I.getOperand(Op);
      if (!P->getType()->isPointerTy() || P->getType()->getPointerAddressSpace() != 0 ||
          isa<AllocaInst>(getUnderlyingObject(P)))
        continue;
      I.setOperand(Op, new AddrSpaceCastInst(P, HeapPtrTy, "heap", I.getIterator()));
      Changed = true;
    }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace stmc
