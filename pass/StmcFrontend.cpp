//===- StmcFrontend.cpp - clang side of stmc_plugin.so ---------------------===//
//
// Attributes (GNU spelling, and [[stm::...]] where the language has [[]]):
//   stm_immutable  on a field: AnnotateAttr("stm_immutable"); clang then emits
//                  llvm.ptr.annotation on each access, which the pass consumes.
//   stm_pure       on a function: AnnotateAttr("stm_pure") -> llvm.global.annotations; calls
//                  to it never break a transaction (no wrapping, no elision boundary).
//   stm_external   on a function: AnnotateAttr("stm_external"); calls to it are wrapped in
//                  _stm_external_enter/leave.
// Annotations live in the IR, so they survive -save-temps and LTO.
//
// C++ is refused with an error (retry by longjmp skips destructors; an exception leaving a
// block would commit it).  Heap pointers in static initializers and variables placed in the
// heap address space are errors with file:line:col (HeapGlobals).  The functions of the system
// headers are recorded for the pass: code stmc did not compile (StmcConsumer).
// The AST action (run before the main action) pushes a PassBuilder callback into the code
// generator options so that -fplugin alone instruments normal compilations.
//===----------------------------------------------------------------------===//

#include "StmcPass.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/CodeGenOptions.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Sema/Sema.h"
#include "llvm/Passes/PassBuilder.h"

using namespace clang;

namespace {

// A custom warning of the frontend's.  Clang 19 maps no command-line flag to custom diagnostic
// IDs, so -w and -Werror would not reach them: both are honoured here, by the level.
template <unsigned N>
unsigned stmcWarning(DiagnosticsEngine &D, const char (&Fmt)[N]) {
  return D.getCustomDiagID(D.getIgnoreAllWarnings()  ? DiagnosticsEngine::Ignored
                           : D.getWarningsAsErrors() ? DiagnosticsEngine::Error
                                                     : DiagnosticsEngine::Warning,
                           Fmt);
}

class StmAttrInfo : public ParsedAttrInfo {
  const char *Annotation;
  bool OnField;

public:
  StmAttrInfo(const char *Anno, bool Field, ArrayRef<Spelling> S)
      : Annotation(Anno), OnField(Field) {
    Spellings = S;
    NumArgs = 0;
    OptArgs = 0;
  }

  bool diagAppertainsToDecl(Sema &S, const ParsedAttr &Attr, const Decl *D) const override {
    bool Ok = OnField ? isa<FieldDecl>(D) : isa<FunctionDecl>(D);
    if (!Ok) {
      unsigned ID =
          stmcWarning(S.getDiagnostics(), "'%0' attribute only applies to %1; ignored");
      S.Diag(Attr.getLoc(), ID) << Annotation << (OnField ? "fields" : "functions");
    }
    return Ok;
  }

  AttrHandling handleDeclAttribute(Sema &S, Decl *D, const ParsedAttr &Attr) const override {
    if (Attr.getNumArgs() != 0) {
      unsigned ID = S.getDiagnostics().getCustomDiagID(DiagnosticsEngine::Error,
                                                       "'%0' attribute takes no arguments");
      S.Diag(Attr.getLoc(), ID) << Annotation;
      return AttributeNotApplied;
    }
    D->addAttr(AnnotateAttr::Create(S.Context, Annotation, nullptr, 0, Attr.getRange()));
    return AttributeApplied;
  }
};

constexpr ParsedAttrInfo::Spelling ImmutableSpellings[] = {
    {ParsedAttr::AS_GNU, "stm_immutable"},
    {ParsedAttr::AS_C23, "stm::immutable"},
    {ParsedAttr::AS_CXX11, "stm::immutable"}};
constexpr ParsedAttrInfo::Spelling PureSpellings[] = {{ParsedAttr::AS_GNU, "stm_pure"},
                                                      {ParsedAttr::AS_C23, "stm::pure"},
                                                      {ParsedAttr::AS_CXX11, "stm::pure"}};
constexpr ParsedAttrInfo::Spelling ExternalSpellings[] = {
    {ParsedAttr::AS_GNU, "stm_external"},
    {ParsedAttr::AS_C23, "stm::external"},
    {ParsedAttr::AS_CXX11, "stm::external"}};

struct StmImmutableAttrInfo : StmAttrInfo {
  StmImmutableAttrInfo() : StmAttrInfo("stm_immutable", true, ImmutableSpellings) {}
};
struct StmPureAttrInfo : StmAttrInfo {
  StmPureAttrInfo() : StmAttrInfo("stm_pure", false, PureSpellings) {}
};
struct StmExternalAttrInfo : StmAttrInfo {
  StmExternalAttrInfo() : StmAttrInfo("stm_external", false, ExternalSpellings) {}
};

// Globals and STM heap pointers, diagnosed here with the source position (file:line:col): the
// pass finds them too, but it knows a global's line only from debug info, which stmcc's
// default -gline-tables-only does not record for variables ("error: x.c: global 'gp': ...").
//   - a variable with static storage placed in the heap address space (heap objects come from
//     stm_alloc);
//   - a static initializer that makes a heap pointer out of something that is not one (an
//     integer, a plain pointer): heap pointers are offsets that exist only at run time.
bool isHeapAS(LangAS AS) { return isTargetAddressSpace(AS) && toTargetAddressSpace(AS) == 256; }
bool isHeapPointer(QualType T) {
  return T->isPointerType() && isHeapAS(T->getPointeeType().getAddressSpace());
}

class HeapGlobals : public RecursiveASTVisitor<HeapGlobals> {
  ASTContext &Ctx;
  DiagnosticsEngine &D;

  // E folds to a null pointer or zero ((T *)NULL: no null pointer constant in C's sense).
  bool isNullValued(const Expr *E) const {
    Expr::EvalResult R;
    if (E->isValueDependent() || !E->EvaluateAsRValue(R, Ctx))
      return false;
    const APValue &V = R.Val;
    return (V.isLValue() && !V.getLValueBase() && V.getLValueOffset().isZero()) ||
           (V.isInt() && V.getInt().isZero());
  }

  // The first cast in E that makes a heap pointer out of a non-null non-heap value.
  const CastExpr *heapCast(const Stmt *S) const {
    if (!S)
      return nullptr;
    // Unevaluated operands make no pointer: sizeof/_Alignof, __builtin_constant_p's, and the
    // arms not taken of _Generic, __builtin_choose_expr and a ?: whose condition is constant.
    if (isa<UnaryExprOrTypeTraitExpr>(S))
      return nullptr;
    if (const auto *GS = dyn_cast<GenericSelectionExpr>(S))
      return GS->isResultDependent() ? nullptr : heapCast(GS->getResultExpr());
    if (const auto *CE = dyn_cast<ChooseExpr>(S))
      return CE->isConditionDependent() ? nullptr : heapCast(CE->getChosenSubExpr());
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (Call->getBuiltinCallee() == Builtin::BI__builtin_constant_p)
        return nullptr;
    if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
      bool Cond;
      if (CO->getCond()->EvaluateAsBooleanCondition(Cond, Ctx))
        return heapCast(Cond ? CO->getTrueExpr() : CO->getFalseExpr());
    }
    if (const auto *CE = dyn_cast<CastExpr>(S)) {
      const Expr *Sub = CE->getSubExpr();
      // (not an array member of a heap object decaying to a pointer to its first element:
      // the offsetof idiom `(size_t)&((T STM_HEAP *)0)->arr[2]` was refused; a review's
      // find.  A compound literal typed as a heap array is plain memory: still refused.)
      bool MemberDecay = CE->getCastKind() == CK_ArrayToPointerDecay &&
                         isa<MemberExpr, ArraySubscriptExpr>(Sub->IgnoreParens());
      if (isHeapPointer(CE->getType()) && !isHeapPointer(Sub->getType()) && !MemberDecay &&
          !Sub->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) &&
          !isNullValued(Sub))
        return CE;
    }
    for (const Stmt *Child : S->children())
      if (const CastExpr *CE = heapCast(Child))
        return CE;
    return nullptr;
  }

  // The first heap-pointer value that Init stores (itself, or an element of its initializer
  // lists) and that is not null: a heap pointer is an offset that exists only at run time, so
  // null is the only heap-pointer constant.  Finds what heapCast does not: arithmetic on a
  // null heap pointer ((T STM_HEAP *)0 + 512, &((T STM_HEAP *)0)[3]).  A heap pointer that is
  // only an operand (the offsetof idiom (size_t)&((T STM_HEAP *)0)->f) is not stored.
  const Expr *storedHeapValue(const Expr *E) const {
    if (!E)
      return nullptr;
    E = E->IgnoreParens();
    if (const auto *IL = dyn_cast<InitListExpr>(E)) {
      for (const Expr *Elt : IL->inits())
        if (const Expr *Bad = storedHeapValue(Elt))
          return Bad;
      return nullptr;
    }
    if (const auto *DI = dyn_cast<DesignatedInitExpr>(E))
      return storedHeapValue(DI->getInit());
    if (const auto *CL = dyn_cast<CompoundLiteralExpr>(E))
      return storedHeapValue(CL->getInitializer());
    if (!isHeapPointer(E->getType()) || E->isValueDependent() ||
        E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return nullptr;
    return isNullValued(E) ? nullptr : E;
  }

public:
  HeapGlobals(ASTContext &Ctx, DiagnosticsEngine &D) : Ctx(Ctx), D(D) {}

  // A call that clang refused because an argument is a heap pointer (or a heap array) where
  // the parameter is a plain pointer ("changes address space of pointer"): clang keeps it as
  // a RecoveryExpr of the callee and the arguments.  clang lets a call of a library function
  // it knows as a builtin (strlen, memcmp, fwrite, printf) through, and the pass then says
  // what is wrong and what to do; of any other one (write, fputs, puts, strnlen, qsort) a
  // user's port met only clang's words, which name neither STM_HEAP nor the way out.  A
  // warning beside clang's error says it.
  bool VisitRecoveryExpr(RecoveryExpr *RE) {
    auto Subs = RE->subExpressions();
    if (Subs.empty())
      return true;
    const auto *Ref = dyn_cast<DeclRefExpr>(Subs[0]->IgnoreParenImpCasts());
    const auto *FD = Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
    if (!FD)
      return true;
    for (unsigned K = 1; K < Subs.size(); ++K) {
      const Expr *Arg = Subs[K];
      QualType T = Arg->getType();
      if (T.isNull() || T->isDependentType())
        continue;
      // (a pointer to the heap, or a heap array that decays to one; not a plain pointer or
      // a struct that lives in the heap, whose type carries the address space too: a review)
      const ArrayType *AT = Ctx.getAsArrayType(T); // (keeps the qualifiers, on the elements)
      bool Heap = isHeapPointer(T) || (AT && isHeapAS(AT->getElementType().getAddressSpace()));
      if (!Heap || K - 1 >= FD->getNumParams() ||
          !FD->getParamDecl(K - 1)->getType()->isPointerType() ||
          isHeapPointer(FD->getParamDecl(K - 1)->getType()))
        continue;
      const SourceManager &SM = Ctx.getSourceManager();
      bool Library = SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()));
      unsigned ID =
          Library ? D.getCustomDiagID(
                        DiagnosticsEngine::Warning,
                        "stmc: an STM heap pointer is passed to the library function '%0', "
                        "which stmc did not compile: it can neither reach the heap through "
                        "%%gs nor track the accesses (hint: copy the data to plain memory "
                        "first (memcpy from the STM_HEAP pointer is instrumented), or "
                        "compare/scan the heap data in your own code)")
                  : D.getCustomDiagID(DiagnosticsEngine::Warning,
                                      "stmc: an STM heap pointer is passed to '%0', whose "
                                      "parameter is a plain pointer (hint: declare the "
                                      "parameter's pointee STM_HEAP, or copy the data to "
                                      "plain memory first)");
      D.Report(Arg->getBeginLoc(), ID) << FD->getName();
      break;
    }
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->getType()->isDependentType())
      return true;
    if (!VD->hasGlobalStorage()) {
      // clang refuses it ("automatic variable qualified with an address space"); the usual
      // cause is a second pointer in one declaration (a user's port met it): say so.  A
      // warning beside clang's error (a note after it was dropped: notes follow the last
      // diagnostic considered, which may have been an ignored one).
      if (isHeapAS(VD->getType().getAddressSpace()) && !isa<ParmVarDecl>(VD))
        D.Report(VD->getLocation(),
                 D.getCustomDiagID(DiagnosticsEngine::Warning,
                                   "stmc: STM_HEAP qualifies what a pointer points to, as "
                                   "const does, so in 'long STM_HEAP *a, STM_HEAP *b' the "
                                   "second one qualifies '%0' itself (hint: declare one "
                                   "pointer per line, or use a typedef of the pointer type)"))
            << VD->getName();
      return true;
    }
    if (isHeapAS(VD->getType().getAddressSpace()))
      D.Report(VD->getLocation(),
               D.getCustomDiagID(DiagnosticsEngine::Error,
                                 "stmc: variable '%0' placed in the STM heap address space "
                                 "(hint: STM heap objects come from stm_alloc(); keep a "
                                 "STM_HEAP pointer in a plain variable instead)"))
          << VD->getName();
    const Expr *Bad = heapCast(VD->getInit());
    if (!Bad)
      Bad = storedHeapValue(VD->getInit());
    if (Bad)
      D.Report(Bad->getExprLoc(),
               D.getCustomDiagID(DiagnosticsEngine::Error,
                                 "stmc: static initializer holds an STM heap pointer ('%0') "
                                 "(hint: heap pointers are offsets that exist only at run "
                                 "time: initialise it at run time, in main or a constructor)"))
          << VD->getName();
    return true;
  }
};

// Two mistakes inside atomic blocks that the IR no longer shows, in one walk of the AST.
// STM_ATOMIC's frame variable carries cleanup(_stm_atomic_cleanup): that is how its loop is
// recognised, as the `for` whose first declaration it is.
// - Variables with __attribute__((cleanup)) declared in an atomic block: an aborted attempt
//   jumps back to the block's start (longjmp), so their cleanup functions do not run for that
//   attempt (a cleanup that unlocks a mutex or frees malloc'd memory then deadlocks or leaks),
//   as C++ destructors would not (C++ is refused).  A warning, not an error: a cleanup that
//   only undoes the block's heap work (stm_free of an object the block allocated) is right to
//   skip, since the rolled-back attempt's allocations and writes are undone anyway.
// - `break` or `continue` written directly in an atomic block that is itself in a loop or a
//   switch: STM_ATOMIC is a `for`, so the statement leaves the block (committing it), not the
//   enclosing loop or switch, which a program written with locks meant (docs/api.md says so;
//   a new user's loop ran all its iterations).  Not warned where no loop or switch encloses
//   the block (there it can only mean "leave the block"), nor inside a loop or switch in the
//   block, nor in a macro's `do { ... } while (0)` around the block (leaving the block leaves
//   its one pass as well).
class InBlockChecks : public RecursiveASTVisitor<InBlockChecks> {
  DiagnosticsEngine &D;
  const ASTContext *Ctx;
  enum Kind { Loop, Switch, Block, Wrapper }; // Wrapper: a macro's do { ... } while (0)
  SmallVector<Kind, 8> Stack; // the statements a break or continue could leave, innermost last

  static const FunctionDecl *cleanupOf(const VarDecl *VD) {
    const auto *A = VD->getAttr<CleanupAttr>();
    return A ? A->getFunctionDecl() : nullptr;
  }
  static bool isFrame(const VarDecl *VD) {
    const FunctionDecl *F = cleanupOf(VD);
    return F && F->getName() == "_stm_atomic_cleanup";
  }
  static bool isAtomicBlock(const ForStmt *FS) {
    const auto *DS = FS ? dyn_cast_or_null<DeclStmt>(FS->getInit()) : nullptr;
    if (!DS)
      return false;
    for (const Decl *Dcl : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(Dcl); VD && isFrame(VD))
        return true;
    return false;
  }

  bool nested(Kind K, llvm::function_ref<bool()> Traverse) {
    Stack.push_back(K);
    bool Ok = Traverse();
    Stack.pop_back();
    return Ok;
  }
  // The innermost statement that `break` (or `continue`: loops only) leaves is an atomic
  // block, and a loop or switch (a loop, for `continue`) encloses it: its name, else null.
  const char *misread(bool Continue) const {
    auto It = Stack.rbegin();
    while (It != Stack.rend() && Continue && *It == Switch)
      ++It;
    if (It == Stack.rend() || *It != Block)
      return nullptr;
    for (++It; It != Stack.rend(); ++It) {
      if (*It == Wrapper) // leaving the block leaves the wrapper's one pass too
        return nullptr;
      if (*It == Loop)
        return "loop";
      if (*It == Switch && !Continue)
        return "switch";
    }
    return nullptr;
  }

public:
  InBlockChecks(DiagnosticsEngine &D, const ASTContext &Ctx) : D(D), Ctx(&Ctx) {}

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    SmallVector<Kind, 8> Outer;
    std::swap(Outer, Stack);
    bool Ok = RecursiveASTVisitor::TraverseFunctionDecl(FD);
    std::swap(Outer, Stack);
    return Ok;
  }
  bool TraverseForStmt(ForStmt *FS) {
    if (isAtomicBlock(FS)) // its body, not the declarations that enter it
      return nested(Block, [&] { return RecursiveASTVisitor::TraverseStmt(FS->getBody()); });
    return nested(Loop, [&] { return RecursiveASTVisitor::TraverseForStmt(FS); });
  }
  bool TraverseWhileStmt(WhileStmt *S) {
    return nested(Loop, [&] { return RecursiveASTVisitor::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(DoStmt *S) {
    // `do { ... } while (0)`, a macro's wrapper: its loop runs once, so a block in it that
    // is left by break or continue leaves what the macro's author meant to leave
    Expr::EvalResult R;
    const Expr *Cond = S ? S->getCond() : nullptr;
    bool Once = Cond && !Cond->isValueDependent() && Cond->EvaluateAsInt(R, *Ctx) &&
                R.Val.getInt() == 0;
    return nested(Once ? Wrapper : Loop, [&] { return RecursiveASTVisitor::TraverseDoStmt(S); });
  }
  bool TraverseSwitchStmt(SwitchStmt *S) {
    // STM_ATOMIC's own `switch (0) default:` around its loop is no switch of the user's
    const auto *Def = S ? dyn_cast_or_null<DefaultStmt>(S->getBody()) : nullptr;
    if (Def && isAtomicBlock(dyn_cast<ForStmt>(Def->getSubStmt())))
      return RecursiveASTVisitor::TraverseSwitchStmt(S);
    return nested(Switch, [&] { return RecursiveASTVisitor::TraverseSwitchStmt(S); });
  }

  bool VisitVarDecl(VarDecl *VD) {
    const FunctionDecl *F = cleanupOf(VD);
    if (!F || isFrame(VD) || !llvm::is_contained(Stack, Block))
      return true;
    D.Report(VD->getLocation(),
             stmcWarning(
                 D,
                 "stmc: '%0' has __attribute__((cleanup(%1))) inside an atomic block: when an "
                 "attempt of the block is rolled back and run again (a conflict, or a read-only "
                 "attempt that writes), the jump back skips %1 for that attempt (hint: declare "
                 "it outside the block; skipping is right only where %1 undoes nothing but the "
                 "block's own heap work, which the rollback undoes)"))
        << VD->getName() << F->getName();
    return true;
  }
  bool VisitBreakStmt(BreakStmt *S) {
    if (const char *What = misread(false))
      D.Report(S->getBeginLoc(),
               stmcWarning(D, "stmc: 'break' in an atomic block leaves the block (which "
                              "commits), not the enclosing %0: STM_ATOMIC is a loop (hint: "
                              "set a flag in the block and break after it)"))
          << What;
    return true;
  }
  bool VisitContinueStmt(ContinueStmt *S) {
    if (misread(true))
      D.Report(S->getBeginLoc(),
               stmcWarning(D, "stmc: 'continue' in an atomic block leaves the block (which "
                              "commits), not the iteration of the enclosing loop: STM_ATOMIC "
                              "is a loop (hint: set a flag in the block and continue after "
                              "it)"));
    return true;
  }
};

// The functions of the system headers (the C library, POSIX, ...), by symbol, for the pass
// (stmc::systemFunctions): it treats their calls as calls to code stmc did not compile
// (external calls: an atomic block becomes inevitable first; outside blocks the implicit
// transaction ends), also for the many that TargetLibraryInfo does not know (close, kill,
// raise, vfork, getline, dlopen, ...: the pass took those for stmc-compiled functions of
// another file, so a retried block closed a file twice), and the inline definitions there
// (putchar_unlocked writes the FILE buffer itself).  Recorded at the end of the translation
// unit, when every redeclaration (glibc's asm labels) has been seen.
// A header counts as a system header when it says so itself (#pragma GCC system_header) or
// lies in a system include directory (-isystem, the C library's), but not only because a
// system header included it: clang gives an included file its includer's kind, and CMake's
// precompiled-header file (target_precompile_headers) begins with #pragma clang system_header
// and includes the project's own headers (by absolute path; a header with the pragma includes
// its neighbours the same way), whose functions were then taken for the C library's (a heap
// pointer passed to one was an error, a call made the block inevitable).
class StmcConsumer : public ASTConsumer {
  HeaderSearch &HS;
  std::vector<std::string> SystemDirs;            // canonical, each ending in '/'
  llvm::DenseMap<const FileEntry *, bool> InDir;  // file -> lies in one of SystemDirs

  bool inSystemDir(FileEntryRef FE) {
    auto [It, New] = InDir.try_emplace(&FE.getFileEntry(), false);
    if (New) {
      if (SystemDirs.empty())
        for (const DirectoryLookup &DL : HS.search_dir_range())
          if (DL.getDirCharacteristic() != SrcMgr::C_User && DL.isNormalDir())
            SystemDirs.push_back(
                (HS.getFileMgr().getCanonicalName(*DL.getDirRef()) + "/").str());
      StringRef Path = HS.getFileMgr().getCanonicalName(FE);
      It->second = llvm::any_of(SystemDirs, [&](const std::string &D) {
        return Path.starts_with(D);
      });
    }
    return It->second;
  }

  bool inSystemHeader(const Decl *D) {
    const SourceManager &SM = D->getASTContext().getSourceManager();
    SourceLocation L = SM.getExpansionLoc(D->getLocation());
    if (!SM.isInSystemHeader(L))
      return false;
    FileID FID = SM.getFileID(L);
    bool Invalid = false;
    const SrcMgr::SLocEntry &E = SM.getSLocEntry(FID, &Invalid);
    if (Invalid || !E.isFile() || !SrcMgr::isSystem(E.getFile().getFileCharacteristic()))
      return true; // system from a pragma in the file itself
    OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
    return !FE || inSystemDir(*FE);
  }

  void recordSystemFunctions(ASTContext &Ctx) {
    stmc::SystemFunctions &SF = stmc::systemFunctions();
    ASTNameGenerator Names(Ctx);
    llvm::SmallPtrSet<const FunctionDecl *, 32> Seen;
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      const auto *TopFD = dyn_cast<FunctionDecl>(D);
      // Each function once, under its most recent declaration (the one whose asm label
      // counts), which may be a block-scope `extern int close(int);` that decls() does not
      // list: requiring a top-level most recent declaration dropped close for the whole file.
      if (!TopFD || !Seen.insert(TopFD->getCanonicalDecl()).second ||
          llvm::none_of(TopFD->redecls(),
                        [this](const FunctionDecl *R) { return inSystemHeader(R); }))
        continue;
      const FunctionDecl *FD = TopFD->getMostRecentDecl();
      const FunctionDecl *Def = nullptr;
      if (FD->isDefined(Def) && !inSystemHeader(Def))
        continue; // the program's own definition of a library name
      std::string N = Names.getName(FD);
      if (!N.empty() && N[0] == '\1')
        N.erase(0, 1);
      (Def ? SF.Inline : SF.Declared).insert(N);
    }
  }

public:
  explicit StmcConsumer(HeaderSearch &HS) : HS(HS) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {

    recordSystemFunctions(Ctx);
    HeapGlobals(Ctx, Ctx.getDiagnostics()).TraverseDecl(Ctx.getTranslationUnitDecl());
    InBlockChecks(Ctx.getDiagnostics(), Ctx).TraverseDecl(Ctx.getTranslationUnitDecl());
  }
};

// Sanitizers that cannot run a program built with stmc, and why (each was tried: the program
// crashed, hung or did not link).  Those that work with stmc, their runtimes linked as shared
// libraries (stmcc passes -shared-libsan; the runtime refuses to start with one linked into
// the program): address (with its leak check: the runtime registers the heap with it),
// undefined and its parts, cfi, kcfi.  NoStm: the program's `stmcc --no-stm` build runs under
// it (tried too).
struct RefusedSanitizer {
  SanitizerMask Kind;
  const char *Name;
  const char *Why;
  bool NoStm;
};
const RefusedSanitizer RefusedSanitizers[] = {
    {SanitizerKind::Thread, "thread",
     "stmc's pthread_create wrapper bypasses its thread set-up (the program crashes), and it "
     "cannot see how commits order the threads", true},
    {SanitizerKind::Memory | SanitizerKind::KernelMemory, "memory",
     "it computes shadow addresses of %gs-relative heap accesses as for flat ones (the program "
     "crashes)", true},
    {SanitizerKind::DataFlow, "dataflow",
     "it renames calls into code it did not build, stmc's runtime among them (the program "
     "does not link)", false},
    {SanitizerKind::HWAddress | SanitizerKind::KernelHWAddress, "hwaddress",
     "it tags pointers in their top bits, which STM heap pointers (%gs-relative offsets) cannot "
     "carry", false},
    {SanitizerKind::SafeStack, "safe-stack",
     "it moves an atomic block's frame to a second stack, where stmc's checks of the frame do "
     "not look, and stmc's pthread_create wrapper bypasses its thread set-up (the program "
     "crashes)", true},
    {SanitizerKind::NumericalStability, "numerical",
     "it keeps shadow values of %gs-relative heap accesses as of flat ones (the program "
     "crashes)", true},
#if LLVM_VERSION_MAJOR >= 20
    {SanitizerKind::Type, "type",
     "it keeps shadow types of %gs-relative heap accesses as of flat ones (the program hung)",
     true},
#endif
};

class StmcAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    if (CI.getLangOpts().CPlusPlus) {
      // An aborted attempt restarts its block with a longjmp, which skips the destructors of
      // C++ objects built in the block, and an exception that leaves a block commits what the
      // block wrote so far. Neither can be made right from here, so C++ is refused outright.
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                 "stmc instruments C only: C++ is not supported (an aborted "
                                 "atomic block restarts by longjmp, skipping destructors, and "
                                 "an exception leaving a block would commit it); compile C++ "
                                 "code without the stmc plugin and call into C"));
      return std::make_unique<ASTConsumer>();
    }
    for (const RefusedSanitizer &R : RefusedSanitizers) {
      if (!CI.getLangOpts().Sanitize.hasOneOf(R.Kind))
        continue;
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(D.getCustomDiagID(DiagnosticsEngine::Error,
                                 "stmc: -fsanitize=%0 is not supported with stmc: %1%2; "
                                 "-fsanitize=address and undefined work with stmc (linked "
                                 "with -shared-libsan, as stmcc does)"))
          << R.Name << R.Why
          << (R.NoStm ? "; build with 'stmcc --no-stm' to run the program under it (atomic "
                        "blocks under one global lock)"
                      : "");
    }
    frontend::ActionKind Action = CI.getFrontendOpts().ProgramAction;
    if (CI.getCodeGenOpts().DisableLLVMPasses &&
        (Action == frontend::EmitObj || Action == frontend::EmitAssembly)) {
      // -Xclang -disable-llvm-passes with -c, -S or a link: no pass runs, the barriers among
      // them, and nothing after this job does (before, a warning said that a later step
      // inserts them, and the object had none: a heap access outside blocks crashed, blocks
      // raced).  -save-temps gives the flag to a job that writes IR, warned about below.
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(D.getCustomDiagID(
          DiagnosticsEngine::Error,
          "stmc: -disable-llvm-passes (or -disable-llvm-optzns) with an object or assembly "
          "as output leaves the code without barriers: stmc inserts them in an LLVM pass, "
          "which it turns off, and no later step runs it; leave it out, or use it with "
          "-emit-llvm and compile the IR with stmcc"));
    } else if (CI.getCodeGenOpts().DisableLLVMPasses && !CI.getFrontendOpts().Inputs.empty() &&
        CI.getFrontendOpts().Inputs[0].getKind().getLanguage() != Language::LLVM_IR) {
      // -save-temps: this job writes bitcode without passes, and the instrumentation runs in
      // the next one, which has no frontend and so no table of the system headers' functions.
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(stmcWarning(
          D, "stmc: with -save-temps (or -disable-llvm-passes) the barriers are inserted in a "
             "later step that does not know which functions the system headers declare: calls to "
             "C library functions that LLVM does not know by name (close, kill, vfork, getline, "
             "...) are then taken for stmc-compiled code and do not make an atomic block "
             "inevitable; build without -save-temps, or declare such functions STM_EXTERNAL"));
    }
    // The pass's diagnostics and the runtime's messages name file:line from debug locations:
    // without -g (or with -g0) keep the locations in the IR, emitting no debug information,
    // as -Rpass does (before, a diagnostic of a -g0 build named only the function).
    // The site records keep following the user's choice (stmc::SiteLocations).
    stmc::SiteLocations = CI.getCodeGenOpts().getDebugInfo() != llvm::codegenoptions::NoDebugInfo;
    if (!stmc::SiteLocations)
      CI.getCodeGenOpts().setDebugInfo(llvm::codegenoptions::LocTrackingOnly);
    CI.getCodeGenOpts().PassBuilderCallbacks.push_back(
        [](llvm::PassBuilder &PB) { stmc::registerPassBuilderCallbacks(PB); });
    return std::make_unique<StmcConsumer>(CI.getPreprocessor().getHeaderSearchInfo());
  }
  bool ParseArgs(const CompilerInstance &, const std::vector<std::string> &) override {
    return true;
  }
  ActionType getActionType() override { return AddBeforeMainAction; }
};

} // namespace

static ParsedAttrInfoRegistry::Add<StmImmutableAttrInfo> RegImmutable("stm_immutable",
                                                               "stmc immutable field");
static ParsedAttrInfoRegistry::Add<StmPureAttrInfo> RegPure("stm_pure", "stmc pure function");
static ParsedAttrInfoRegistry::Add<StmExternalAttrInfo> RegExternal("stm_external",
                                                             "stmc external function");
static FrontendPluginRegistry::Add<StmcAction> RegAction("stmc", "stmc STM instrumentation");
