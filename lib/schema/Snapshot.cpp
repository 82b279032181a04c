//===--- Snapshot.cpp - A schema snapshot of a live database, read offline -===//
///
/// \file
/// `stresslint schema dump` writes what `pg_catalog` says of a database as
/// JSON; this reads it back as schema tables (docs/schema.md has the
/// format). llvm::json: already linked, and a malformed file is an error
/// that names the file, never a partial schema.
///
//===----------------------------------------------------------------------===//
#include "schema/Schema.h"

#include "llvm/Support/JSON.h"

namespace stresslint {

namespace {

llvm::Error bad(llvm::StringRef File, const llvm::Twine &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "%s: not a stresslint schema snapshot: %s",
                                 File.str().c_str(), What.str().c_str());
}

std::vector<std::string> strings(const llvm::json::Array *A) {
  std::vector<std::string> Out;
  if (A)
    for (const llvm::json::Value &V : *A)
      if (std::optional<llvm::StringRef> S = V.getAsString())
        Out.push_back(S->lower());
  return Out;
}

} // namespace

llvm::Error Schema::applySnapshot(llvm::StringRef File, llvm::StringRef Json) {
  llvm::Expected<llvm::json::Value> Doc = llvm::json::parse(Json);
  if (!Doc)
    return bad(File, llvm::toString(Doc.takeError()));
  const llvm::json::Object *Root = Doc->getAsObject();
  if (!Root || Root->getInteger("version") != 1 || !Root->getArray("tables"))
    return bad(File, "expected {\"version\": 1, \"tables\": [...]}");
  Files.push_back(File.str());
  for (const llvm::json::Value &TV : *Root->getArray("tables")) {
    const llvm::json::Object *TO = TV.getAsObject();
    std::optional<llvm::StringRef> Name = TO ? TO->getString("name") : std::nullopt;
    if (!Name)
      return bad(File, "a table without a name");
    SchemaTable T;
    T.Name = Name->lower();
    T.From = {File.str(), 0};
    T.MaterializedView = TO->getString("kind") == llvm::StringRef("materialized view");
    if (std::optional<double> Rows = TO->getNumber("rows"))
      T.Rows = *Rows;
    if (const llvm::json::Array *Cols = TO->getArray("columns"))
      for (const llvm::json::Value &CV : *Cols)
        if (const llvm::json::Object *C = CV.getAsObject()) {
          SchemaColumn Col;
          Col.Name = C->getString("name").value_or("").lower();
          Col.Type = C->getString("type").value_or("").str();
          Col.NotNull = C->getBoolean("notNull").value_or(false);
          Col.From = T.From;
          if (!Col.Name.empty())
            T.Columns.push_back(std::move(Col));
        }
    if (const llvm::json::Array *Keys = TO->getArray("keys"))
      for (const llvm::json::Value &KV : *Keys)
        if (const llvm::json::Object *K = KV.getAsObject()) {
          SchemaKey Key;
          Key.Name = K->getString("name").value_or("").str();
          Key.Primary = K->getBoolean("primary").value_or(false);
          Key.Columns = strings(K->getArray("columns"));
          Key.From = T.From;
          T.Keys.push_back(std::move(Key));
        }
    if (const llvm::json::Array *Idx = TO->getArray("indexes"))
      for (const llvm::json::Value &IV : *Idx)
        if (const llvm::json::Object *I = IV.getAsObject()) {
          SchemaIndex Index;
          Index.Name = I->getString("name").value_or("").str();
          Index.Method = I->getString("method").value_or("btree").str();
          Index.Unique = I->getBoolean("unique").value_or(false);
          Index.Partial = I->getBoolean("partial").value_or(false);
          Index.From = T.From;
          if (const llvm::json::Array *Keys = I->getArray("keys"))
            for (const llvm::json::Value &KV : *Keys)
              if (const llvm::json::Object *K = KV.getAsObject()) {
                SchemaIndexKey Key;
                Key.Column = K->getString("column").value_or("").lower();
                Key.Function = K->getString("function").value_or("").lower();
                Key.Expression = K->getString("expression").value_or("").str();
                Key.OpClass = K->getString("opclass").value_or("").str();
                Index.Keys.push_back(std::move(Key));
              }
          T.Indexes.push_back(std::move(Index));
        }
    std::string Key = schemaKey(T.Name);
    Tables[Key] = std::move(T);
  }
  return llvm::Error::success();
}

} // namespace stresslint
