//===- StmcPlugin.cpp - pass registration for both plugins -----------------===//
//
// llvmGetPassPluginInfo is exported by stmc_pass.so (opt -load-pass-plugin) and by
// stmc_plugin.so (clang -fpass-plugin): the latter makes -save-temps, .ll inputs and -flto
// instrumented too, where the frontend hook never runs.  Registering twice (the frontend's
// PassBuilder callback and -fpass-plugin both) is harmless: the instrumentation is idempotent.
//===----------------------------------------------------------------------===//

#include "StmcPass.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Passes/PassBuilder.h"
#if LLVM_VERSION_MAJOR >= 22
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif

using namespace llvm;

void stmc::registerPassBuilderCallbacks(PassBuilder &PB) {
  // Every -O level: PipelineStart runs at -O0 too, and the passes are required (optnone
  // functions are instrumented).
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) { MPM.addPass(InstrumentPass()); });
#if LLVM_VERSION_MAJOR >= 22
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel, ThinOrFullLTOPhase) {
        MPM.addPass(LowerLatePass());
      });
#else
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) { MPM.addPass(LowerLatePass()); });
#endif
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) { MPM.addPass(LowerLatePass()); });
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM, ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "stmc-instrument") {
          MPM.addPass(InstrumentPass());
          return true;
        }
        if (Name == "stmc-heapify") {
          MPM.addPass(HeapifyPass());
          return true;
        }
        if (Name == "stmc-lower-late") {
          MPM.addPass(LowerLatePass());
          return true;
        }
        return false;
      });
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "stmc", LLVM_VERSION_STRING,
          stmc::registerPassBuilderCallbacks};
}
