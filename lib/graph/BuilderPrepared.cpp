//===--- BuilderPrepared.cpp - Prepared statements and what runs them -----===//
#include "graph/Builder.h"

#include "llvm/ADT/StringExtras.h"

namespace stresslint::graph {

// --- Prepared statements ---------------------------------------------------

const Sink *Builder::preparingSink(llvm::StringRef Name, const Expr *Call) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  std::string ViaObject = MC ? nameViaObject(MC, MC->getMethodDecl()) : "";
  for (const Sink &K : Rules.sinks())
    if (K.Prepares && (K.Function.matches(Name) ||
                       (!ViaObject.empty() && K.Function.matches(ViaObject))))
      return &K;
  return nullptr;
}

bool Builder::preparesRoundTrip(llvm::StringRef Name, const Expr *Call) const {
  const Sink *K = preparingSink(Name, Call);
  return K && K->PrepareRoundTrips;
}

const Decl *Builder::queryObject(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
                 ? ME->getMemberDecl()
                 : nullptr;
    return nullptr;
  }
  return nullptr;
}

void Builder::linkPrepared(const CallExpr *C, size_t From) {
  auto &PreparedOn = Stack.back().PreparedOn;
  const Decl *Obj = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    Obj = queryObject(MC->getImplicitObjectArgument());
  std::vector<Event> &Events = events();
  for (size_t I = From; I < Events.size(); ++I) {
    Event &E = Events[I];
    if (E.K == Event::Sink) {
      auto Site = SinkSites.find(C);
      auto Opaque = OpaqueSinks.find(C);
      bool Prepares = Site != SinkSites.end()
                          ? Site->second->Prepares
                          : Opaque != OpaqueSinks.end() &&
                                preparingSink(Opaque->second->SinkName, C);
      if (Prepares) {
        // SQL that is not known here: a prepare all the same.
        if (Site == SinkSites.end() && !preparesRoundTrip(Opaque->second->SinkName, C))
          E.Statement = "prepare";
        if (!Obj)
          continue;
        Prepared P{E.At, E.Statement, E.Text, E.Facts, E.RunsParam, E.RunsGiven};
        if (Site != SinkSites.end())
          P.Statement =
              statementKind(*Site->second->analysis(), Site->second->Sql.Text);
        else
          P.Statement = "unknown";
        PreparedOn[Obj] = std::move(P);
        continue;
      }
      // `q.exec()`: no SQL of its own; it runs what q prepared.
      if (Obj && Site == SinkSites.end() && !hasTextArgument(C))
        if (auto P = PreparedOn.find(Obj); P != PreparedOn.end()) {
          E.Statement = P->second.Statement;
          E.Text = P->second.Text;
          E.Facts = P->second.Facts;
          E.Origin = P->second.At;
          E.RunsParam = P->second.RunsParam;
          E.RunsGiven = P->second.RunsGiven;
        }
      continue;
    }
    if (E.K != Event::Call)
      continue;
    const Decl *Handed =
        Obj && preparedOrDropped(Obj, C->getBeginLoc()) ? Obj : nullptr;
    for (unsigned A = 0; !Handed && A < C->getNumArgs(); ++A)
      if (const Decl *D = queryObject(C->getArg(A)); D && PreparedOn.count(D))
        Handed = D;
    if (!Handed)
      continue;
    const Prepared &P = PreparedOn.find(Handed)->second;
    E.Statement = P.Statement;
    E.Text = P.Text;
    E.Origin = P.At;
    E.RunsGiven = P.RunsGiven;
  }
}

bool Builder::isNotSql(const FunctionDecl *FD) const {
  return anyPatternMatches(Rules.notSqlFunctions(), FD) ||
         anyPatternMatches(Rules.batchFunctions(), FD);
}

} // namespace stresslint::graph
