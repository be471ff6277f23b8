//===- StmcPass.h - the stmc barrier passes ---------------------*- C++ -*-===//
//
// Two module passes, registered by both plugins (stmc_plugin.so for clang, stmc_pass.so for
// opt) under these names:
//   stmc-instrument  the main pass (PipelineStart): barriers on every load/store/atomic through
//                    an address-space-256 pointer, memory intrinsics lowered to runtime calls,
//                    safe points on loop back-edges, external calls wrapped, casts rewritten,
//                    diagnostics.  Idempotent: the module flag "stmc.instrumented" makes a
//                    second run a no-op.
//   stmc-lower-late  the safety net (OptimizerLast / full LTO last): lowers the address-space-256
//                    memory intrinsics that optimisations created after stmc-instrument ran.
//===----------------------------------------------------------------------===//
#ifndef STMC_PASS_H
#define STMC_PASS_H

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/PassManager.h"

namespace llvm {
class PassBuilder;
}

namespace stmc {

struct InstrumentPass : llvm::PassInfoMixin<InstrumentPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

struct LowerLatePass : llvm::PassInfoMixin<LowerLatePass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

/// Test-only (robustness script): makes every load/store/atomic through a non-stack plain
/// pointer go through an addrspacecast to address space 256, so that llvm-stress modules
/// exercise the instrumentation.  Name: stmc-heapify.
struct HeapifyPass : llvm::PassInfoMixin<HeapifyPass> {
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

/// The symbols of the functions that system headers declare (Declared) or define inline
/// (Inline: glibc's extern-inline putchar_unlocked, atoi, ...; IR available_externally), with
/// asm labels applied (sscanf is __isoc99_sscanf).  The clang plugin's frontend fills them at
/// the end of the translation unit, before the passes run in the same process; they stay empty
/// for IR inputs (opt, .ll) and in -save-temps' second step (then only TargetLibraryInfo's
/// names count; LTO instruments at compile time and has them).  A side table rather
/// than annotations: an annotated declaration got its symbol before glibc's later asm-label
/// redeclaration, so sscanf bound to the pre-C99 GNU one.
struct SystemFunctions {
  llvm::StringSet<> Declared, Inline;
};
SystemFunctions &systemFunctions();

/// False when the frontend plugin turned on location tracking only for the pass's diagnostics
/// (the compile asked for no debug information: -g0, or no -g): the site records that the
/// runtime's messages print then say "?", 0, as the user's choice of no debug information asks.
extern bool SiteLocations;

/// Registers both passes at their extension points and under their names for -passes=.
/// Called by llvmGetPassPluginInfo and by the clang frontend plugin's PassBuilder callback.
void registerPassBuilderCallbacks(llvm::PassBuilder &PB);

} // namespace stmc

#endif
