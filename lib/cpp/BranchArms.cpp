//===--- BranchArms.cpp - The write of a variable that reaches a use ------===//
#include "cpp/Reconstruct.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace stresslint {

/// The `case`/`default` labels of \p S in source order.
static std::vector<const SwitchCase *> switchArms(const SwitchStmt *S,
                                                  const SourceManager &SM) {
  std::vector<const SwitchCase *> Arms;
  for (const SwitchCase *C = S->getSwitchCaseList(); C; C = C->getNextSwitchCase())
    Arms.push_back(C);
  llvm::sort(Arms, [&](const SwitchCase *A, const SwitchCase *B) {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A->getBeginLoc()),
                                        SM.getExpansionLoc(B->getBeginLoc()));
  });
  return Arms;
}

std::vector<BranchArm> branchPath(llvm::ArrayRef<const Stmt *> Stack,
                                  const SourceManager &SM) {
  std::vector<BranchArm> Path;
  if (Stack.empty())
    return Path;
  SourceLocation At = SM.getExpansionLoc(Stack.back()->getBeginLoc());
  for (size_t I = 0; I + 1 < Stack.size(); ++I) {
    const Stmt *Child = Stack[I + 1];
    if (const auto *If = dyn_cast<IfStmt>(Stack[I])) {
      if (Child == If->getThen() || Child == If->getElse())
        Path.push_back({If, Child});
    } else if (const auto *Sw = dyn_cast<SwitchStmt>(Stack[I]);
               Sw && Child == Sw->getBody()) {
      const SwitchCase *Label = nullptr;
      for (const SwitchCase *C : switchArms(Sw, SM))
        if (!SM.isBeforeInTranslationUnit(At, SM.getExpansionLoc(C->getBeginLoc())))
          Label = C;
      if (Label)
        Path.push_back({Sw, Label});
    }
  }
  return Path;
}

/// Is \p Loc inside arm \p B (a `case` arm runs to the next label)?
static bool armContains(const BranchArm &B, SourceLocation Loc,
                        const SourceManager &SM) {
  Loc = SM.getExpansionLoc(Loc);
  SourceLocation Begin = SM.getExpansionLoc(B.Arm->getBeginLoc());
  SourceLocation End = SM.getExpansionLoc(B.Cond->getEndLoc());
  if (isa<IfStmt>(B.Cond))
    End = SM.getExpansionLoc(B.Arm->getEndLoc());
  else
    for (const SwitchCase *C : switchArms(cast<SwitchStmt>(B.Cond), SM))
      if (SM.isBeforeInTranslationUnit(Begin, SM.getExpansionLoc(C->getBeginLoc()))) {
        End = SM.getExpansionLoc(C->getBeginLoc());
        break;
      }
  return !SM.isBeforeInTranslationUnit(Loc, Begin) &&
         !SM.isBeforeInTranslationUnit(End, Loc);
}

/// Does the `if` arm \p Arm end in a `return` or `throw`?
static bool armExits(const Stmt *Arm) {
  while (const auto *C = dyn_cast_or_null<CompoundStmt>(Arm))
    Arm = C->body_empty() ? nullptr : C->body_back();
  if (const auto *E = dyn_cast_or_null<ExprWithCleanups>(Arm))
    Arm = E->getSubExpr();
  return isa_and_nonnull<ReturnStmt, CXXThrowExpr>(Arm);
}

int Reconstructor::reachingWrites(llvm::SmallVectorImpl<const Mutation *> &Writes,
                                  SourceLocation UseLoc) {
  const SourceManager &SM = Ctx.getSourceManager();
  // At most this many arms of one if/else chain or switch are tried.
  constexpr unsigned MaxArms = 16;
  llvm::SmallVector<BranchArm, 4> Within;
  auto Taken = [&](const BranchArm &B) {
    return llvm::any_of(
        Within, [&](const BranchArm &W) { return W.Cond == B.Cond && W.Arm == B.Arm; });
  };
  // Takes one of \p Options at \p Open's if/switch (a choice point) and
  // drops the writes of its other arms.
  auto Take = [&](const BranchArm &Open, llvm::ArrayRef<const Stmt *> Options) {
    BranchArm Chosen{Open.Cond, Options[choose(Open.Cond, Options.size())]};
    Within.push_back(Chosen);
    llvm::erase_if(Writes, [&](const Mutation *M) {
      return llvm::any_of(M->Path, [&](const BranchArm &B) {
        return B.Cond == Chosen.Cond && B.Arm != Chosen.Arm;
      });
    });
  };
  int K = -1;
  while (true) {
    auto Last = llvm::find_if(llvm::reverse(Writes), [](const Mutation *M) {
      return M->K == Mutation::Assign;
    });
    if (Last == llvm::reverse(Writes).end()) {
      K = -1; // The chosen arms dropped every assignment: the initial value.
      break;
    }
    K = static_cast<int>(std::distance(Last, llvm::reverse(Writes).end())) - 1;
    // The first if/switch around the assignment that the use is not in.
    const BranchArm *Open = nullptr;
    for (const BranchArm &B : Writes[K]->Path)
      if (!Taken(B) && !(UseLoc.isValid() && armContains(B, UseLoc, SM))) {
        Open = &B;
        break;
      }
    if (!Open)
      break;
    // Each arm is a choice, the assignment's own first (the default); an
    // `if` without `else` or a `switch` without `default` may run none.
    llvm::SmallVector<const Stmt *, 8> Options{Open->Arm};
    bool Exhaustive = false;
    if (const auto *If = dyn_cast<IfStmt>(Open->Cond)) {
      Exhaustive = If->getElse() != nullptr;
      for (const Stmt *A : {If->getThen(), If->getElse()})
        if (A && A != Open->Arm)
          Options.push_back(A);
    } else {
      for (const SwitchCase *C : switchArms(cast<SwitchStmt>(Open->Cond), SM)) {
        Exhaustive |= isa<DefaultStmt>(C);
        if (C != Open->Arm && Options.size() < MaxArms)
          Options.push_back(C);
      }
    }
    if (!Exhaustive)
      Options.push_back(nullptr);
    // An arm that ends in `return` or `throw` does not reach a use after
    // the if (it may be the only one left when the use is unreachable).
    if (UseLoc.isValid()) {
      llvm::SmallVector<const Stmt *, 8> Reaching(Options);
      llvm::erase_if(Reaching, [](const Stmt *A) { return armExits(A); });
      if (!Reaching.empty())
        Options = Reaching;
    }
    Take(*Open, Options);
  }
  // Appends after it in the arms of one if/else or switch exclude each
  // other (`if (r) sql += " ORDER BY random()"; else sql += " ORDER BY " +
  // c;`): one arm's are taken, the first arm with an append by default. An
  // `if` without `else` keeps its appends, so an optional clause is read.
  while (true) {
    const BranchArm *Open = nullptr;
    for (size_t I = K < 0 ? 0 : static_cast<size_t>(K) + 1; I < Writes.size() && !Open;
         ++I)
      for (const BranchArm &B : Writes[I]->Path) {
        const auto *If = dyn_cast<IfStmt>(B.Cond);
        if (!Taken(B) && (!If || If->getElse()) &&
            !(UseLoc.isValid() && armContains(B, UseLoc, SM))) {
          Open = &B;
          break;
        }
      }
    if (!Open)
      break;
    llvm::SmallVector<const Stmt *, 8> Options{Open->Arm};
    if (const auto *If = dyn_cast<IfStmt>(Open->Cond)) {
      for (const Stmt *A : {If->getThen(), If->getElse()})
        if (A != Open->Arm && !(UseLoc.isValid() && armExits(A)))
          Options.push_back(A);
    } else {
      for (const SwitchCase *C : switchArms(cast<SwitchStmt>(Open->Cond), SM))
        if (C != Open->Arm && Options.size() < MaxArms)
          Options.push_back(C);
    }
    Take(*Open, Options);
  }
  return K;
}

} // namespace stresslint
