//===--- Ddl.cpp - Applying DDL statements to the schema --------------------===//
///
/// \file
/// Reads each statement of a DDL file with libpg_query (after the dialect's
/// normalisation, lib/sql/Normalize) and applies what it does to the
/// tables: CREATE TABLE, CREATE TABLE AS / MATERIALIZED VIEW, CREATE INDEX,
/// ALTER TABLE (columns, keys), RENAME, DROP. MySQL's own CREATE TABLE
/// syntax (column attributes, `KEY name (cols)`, table options) is read from
/// the tree where PostgreSQL's grammar takes it in another shape, or
/// dropped token by token before a second parse (MysqlDdl.cpp).
///
//===----------------------------------------------------------------------===//
#include "schema/MysqlDdl.h"
#include "schema/Schema.h"
#include "sql/Normalize.h"
#include "sql/PgQuery.h"
#include "sql/PgTree.h"
#include "support/LineTable.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

namespace stresslint {

using namespace pgtree;

/// Applies the statements of one file to a Schema.
class DdlApplier {
public:
  DdlApplier(Schema &S, llvm::StringRef File, llvm::StringRef Text)
      : S(S), File(File), Text(Text), Lines(Text) {}

  void run(SqlDialect D) {
    MappedText Norm = normalizeSql(Text, D);
    for (auto [Begin, End] : splitSql(Norm.text())) {
      MappedText Stmt;
      Stmt.appendSlice(Norm, Begin, End);
      llvm::StringRef Body(Stmt.text());
      if (Body.trim().empty())
        continue;
      SqlParseError Err;
      std::optional<SqlJson> Json = parseSqlToJson(Stmt.text(), Err);
      if (!Json)
        if (std::optional<MappedText> Plain = mysqlCreateTableAsPostgres(Stmt)) {
          SqlParseError Retry;
          Json = parseSqlToJson(Plain->text(), Retry);
          if (Json)
            Stmt = std::move(*Plain);
        }
      JsonTree Tree;
      if (!Json || !Tree.parse(std::move(*Json), Err)) {
        skip(Stmt, Err.Message);
        continue;
      }
      Current = &Stmt;
      if (std::optional<Array> Stmts = arrayField(&Tree.root(), "stmts"))
        for (const Value &V : *Stmts)
          apply(get(&V, "stmt"));
    }
  }

private:
  /// The source of the node at \p Location in the current statement.
  SchemaSource at(std::optional<int64_t> Location) const {
    size_t Offset = Location && *Location >= 0
                        ? Current->originOf(static_cast<size_t>(*Location))
                        : Current->originOf(0);
    return {File.str(), Lines.line(Offset)};
  }
  SchemaSource at(const Object *Node) const { return at(getInteger(Node, "location")); }

  void skip(const MappedText &Stmt, llvm::StringRef Error) {
    if (S.Skipped++)
      return;
    size_t Lead = Stmt.text().size() - llvm::StringRef(Stmt.text()).ltrim().size();
    Current = &Stmt;
    S.FirstSkipped = at(static_cast<int64_t>(Lead));
    S.FirstSkipError = Error.str();
  }

  void apply(const Value *Stmt) {
    auto [Type, Body] = unwrap(Stmt);
    if (Type == "CreateStmt")
      createTable(Body);
    else if (Type == "CreateTableAsStmt")
      createTableAs(Body);
    else if (Type == "ViewStmt")
      createView(Body);
    else if (Type == "IndexStmt")
      createIndex(Body);
    else if (Type == "AlterTableStmt")
      alterTable(Body);
    else if (Type == "RenameStmt")
      rename(Body);
    else if (Type == "DropStmt")
      drop(Body);
  }

  static std::string relationName(const Object *RangeVar) {
    return stringField(RangeVar, "relname").str();
  }

  /// A new table named by \p Rel, unless it exists and \p IfNotExists.
  SchemaTable *newTable(const Object *Rel, bool IfNotExists) {
    std::string Name = relationName(Rel);
    if (Name.empty() || (IfNotExists && S.find(Name)))
      return nullptr;
    SchemaTable &T = S.Tables[schemaKey(Name)];
    T = SchemaTable();
    T.Name = Name;
    T.From = at(Rel);
    return &T;
  }

  void createTable(const Object *Body) {
    SchemaTable *T = newTable(getObject(Body, "relation"),
                              getBoolean(Body, "if_not_exists").value_or(false));
    if (!T)
      return;
    if (std::optional<Array> Elts = arrayField(Body, "tableElts"))
      for (const Value &E : *Elts)
        tableElement(*T, E);
    // A parent's columns (INHERITS, PARTITION OF) or a composite type's
    // (OF type) are not copied.
    if (arrayField(Body, "inhRelations") || get(Body, "ofTypename"))
      T->ColumnsKnown = false;
  }

  void tableElement(SchemaTable &T, const Value &E) {
    auto [Type, Body] = unwrap(&E);
    if (Type == "ColumnDef") {
      if (!mysqlKey(T, Body))
        addColumn(T, Body);
    } else if (Type == "Constraint") {
      addConstraint(T, Body);
    } else if (Type == "TableLikeClause") {
      if (const SchemaTable *Like = S.table(relationName(getObject(Body, "relation"))))
        llvm::append_range(T.Columns, Like->Columns);
      else
        T.ColumnsKnown = false;
    }
  }

  /// MySQL's `KEY idx (a, b)` / `INDEX idx (a)` in a CREATE TABLE, which
  /// PostgreSQL's grammar reads as a column `key` of a type `idx` whose
  /// modifiers are column names; a real type's modifiers are constants.
  bool mysqlKey(SchemaTable &T, const Object *Col) {
    llvm::StringRef Name = stringField(Col, "colname");
    if (Name != "key" && Name != "index")
      return false;
    const Object *Type = getObject(Col, "typeName");
    std::optional<Array> Mods = arrayField(Type, "typmods");
    if (!Mods || Mods->empty() ||
        !llvm::all_of(*Mods, [](const Value &M) { return asNode(&M, "ColumnRef"); }))
      return false;
    SchemaIndex I;
    I.Name = lastName(arrayField(Type, "names"));
    I.From = at(Col);
    for (const Value &M : *Mods)
      I.Keys.push_back(
          {lastName(arrayField(asNode(&M, "ColumnRef"), "fields")), "", "", ""});
    T.Indexes.push_back(std::move(I));
    return true;
  }

  static std::string typeText(const Object *Type) {
    std::optional<Array> Names = arrayField(Type, "names");
    std::string Name = lastName(Names);
    Name = llvm::StringSwitch<std::string>(Name)
               .Case("int2", "smallint")
               .Case("int4", "integer")
               .Case("int8", "bigint")
               .Case("bool", "boolean")
               .Case("float4", "real")
               .Case("float8", "double precision")
               .Case("bpchar", "char")
               .Default(Name);
    if (std::optional<Array> Mods = arrayField(Type, "typmods")) {
      std::vector<std::string> Values;
      for (const Value &M : *Mods)
        if (std::optional<int64_t> V =
                getInteger(getObject(asNode(&M, "A_Const"), "ival"), "ival"))
          Values.push_back(std::to_string(*V));
      if (!Values.empty())
        Name += "(" + llvm::join(Values, ",") + ")";
    }
    if (std::optional<Array> Bounds = arrayField(Type, "arrayBounds"))
      for (size_t I = 0; I < Bounds->size(); ++I)
        Name += "[]";
    return Name;
  }

  void addColumn(SchemaTable &T, const Object *Def) {
    SchemaColumn C;
    C.Name = stringField(Def, "colname").str();
    C.Type = typeText(getObject(Def, "typeName"));
    C.From = at(Def);
    if (C.Name.empty())
      return;
    llvm::erase_if(T.Columns, [&](const SchemaColumn &Old) {
      return llvm::StringRef(Old.Name).equals_insensitive(C.Name);
    });
    if (std::optional<Array> Cons = arrayField(Def, "constraints"))
      for (const Value &V : *Cons) {
        const Object *Con = asNode(&V, "Constraint");
        llvm::StringRef Kind = stringField(Con, "contype");
        C.NotNull |= Kind == "CONSTR_NOTNULL" || Kind == "CONSTR_PRIMARY";
        if (Kind == "CONSTR_PRIMARY" || Kind == "CONSTR_UNIQUE")
          T.Keys.push_back({stringField(Con, "conname").str(),
                            Kind == "CONSTR_PRIMARY",
                            {C.Name},
                            at(Con)});
      }
    T.Columns.push_back(std::move(C));
  }

  void addConstraint(SchemaTable &T, const Object *Con) {
    llvm::StringRef Kind = stringField(Con, "contype");
    if (Kind != "CONSTR_PRIMARY" && Kind != "CONSTR_UNIQUE")
      return;
    SchemaKey K{
        stringField(Con, "conname").str(), Kind == "CONSTR_PRIMARY", {}, at(Con)};
    if (std::optional<Array> Keys = arrayField(Con, "keys")) {
      for (const Value &V : *Keys)
        K.Columns.push_back(stringField(asNode(&V, "String"), "sval").str());
    } else if (llvm::StringRef Index = stringField(Con, "indexname"); !Index.empty()) {
      // ADD CONSTRAINT ... UNIQUE USING INDEX idx: the index's columns.
      for (const SchemaIndex &I : T.Indexes)
        if (llvm::StringRef(I.Name).equals_insensitive(Index))
          for (const SchemaIndexKey &IK : I.Keys)
            K.Columns.push_back(IK.Column);
    }
    if (K.Primary)
      for (SchemaColumn &C : T.Columns)
        if (llvm::is_contained(K.Columns, C.Name))
          C.NotNull = true;
    if (!K.Columns.empty())
      T.Keys.push_back(std::move(K));
  }

  void createTableAs(const Object *Body) {
    const Object *Into = getObject(Body, "into");
    SchemaTable *T = newTable(getObject(Into, "rel"),
                              getBoolean(Body, "if_not_exists").value_or(false));
    if (!T)
      return;
    T->MaterializedView = stringField(Body, "objtype") == "OBJECT_MATVIEW";
    if (std::optional<Array> Names = arrayField(Into, "colNames")) {
      for (const Value &N : *Names)
        T->Columns.push_back(
            {stringField(asNode(&N, "String"), "sval").str(), "", false, T->From});
      return;
    }
    // The output names of the query, where evident: an alias, a column, a
    // function's name (as PostgreSQL names `count(*)`).
    const Object *Query = asNode(get(Body, "query"), "SelectStmt");
    if (std::optional<Array> Targets = arrayField(Query, "targetList"))
      for (const Value &V : *Targets) {
        const Object *RT = asNode(&V, "ResTarget");
        std::string Name = stringField(RT, "name").str();
        const Value *Val = get(RT, "val");
        if (Name.empty())
          if (std::optional<Array> Fields =
                  arrayField(asNode(Val, "ColumnRef"), "fields"))
            Name = stringField(asNode(&Fields->back(), "String"), "sval").str();
        if (Name.empty())
          Name = lastName(arrayField(asNode(Val, "FuncCall"), "funcname"));
        if (!Name.empty())
          T->Columns.push_back({Name, "", false, at(RT)});
        else
          T->ColumnsKnown = false; // `t.*`, an expression PostgreSQL names.
      }
    else
      T->ColumnsKnown = false; // A set operation, VALUES, a table's rows.
  }

  /// A plain view: its name (queries read it like a table); its columns
  /// are not followed.
  void createView(const Object *Body) {
    SchemaTable *T = newTable(getObject(Body, "view"), false);
    if (!T)
      return;
    T->View = true;
    T->ColumnsKnown = false;
  }

  void createIndex(const Object *Body) {
    const Object *Rel = getObject(Body, "relation");
    SchemaTable *T = S.find(relationName(Rel));
    if (!T)
      return;
    SchemaIndex I;
    I.Name = stringField(Body, "idxname").str();
    if (!I.Name.empty() && getBoolean(Body, "if_not_exists").value_or(false) &&
        llvm::any_of(T->Indexes,
                     [&](const SchemaIndex &Old) { return Old.Name == I.Name; }))
      return;
    I.Method = stringField(Body, "accessMethod").lower();
    I.Unique = getBoolean(Body, "unique").value_or(false);
    I.Partial = get(Body, "whereClause") != nullptr;
    I.From = at(Rel);
    if (std::optional<Array> Params = arrayField(Body, "indexParams"))
      for (const Value &P : *Params)
        I.Keys.push_back(indexKey(asNode(&P, "IndexElem")));
    if (I.Name.empty()) { // PostgreSQL's own choice: <table>_<col>_idx.
      std::vector<std::string> Cols;
      Cols.reserve(I.Keys.size());
      for (const SchemaIndexKey &K : I.Keys)
        Cols.push_back(K.Column.empty() ? "expr" : K.Column);
      I.Name = T->Name + "_" + llvm::join(Cols, "_") + (I.Unique ? "_key" : "_idx");
    }
    T->Indexes.push_back(std::move(I));
  }

  static SchemaIndexKey indexKey(const Object *Elem) {
    SchemaIndexKey K;
    K.OpClass = lastName(arrayField(Elem, "opclass"));
    K.Column = stringField(Elem, "name").str();
    if (!K.Column.empty())
      return K;
    const Value *Expr = get(Elem, "expr");
    K.Expression = "(expression)";
    const Object *Call = asNode(Expr, "FuncCall");
    std::optional<Array> Args = arrayField(Call, "args");
    if (!Args || Args->size() != 1)
      return K;
    std::optional<Array> Fields =
        arrayField(asNode(&Args->front(), "ColumnRef"), "fields");
    if (!Fields || Fields->size() != 1)
      return K;
    K.Function = lastName(arrayField(Call, "funcname"));
    K.Column = stringField(asNode(&Fields->front(), "String"), "sval").str();
    K.Expression = K.Function + "(" + K.Column + ")";
    return K;
  }

  void alterTable(const Object *Body) {
    SchemaTable *T = S.find(relationName(getObject(Body, "relation")));
    std::optional<Array> Cmds = arrayField(Body, "cmds");
    if (!T || !Cmds)
      return;
    for (const Value &V : *Cmds) {
      const Object *Cmd = asNode(&V, "AlterTableCmd");
      llvm::StringRef Sub = stringField(Cmd, "subtype");
      llvm::StringRef Name = stringField(Cmd, "name");
      auto [DefType, Def] = unwrap(get(Cmd, "def"));
      if (Sub == "AT_AddColumn" && DefType == "ColumnDef") {
        if (!getBoolean(Cmd, "missing_ok").value_or(false) ||
            !T->column(stringField(Def, "colname")))
          addColumn(*T, Def);
      } else if (Sub == "AT_DropColumn") {
        dropColumn(*T, Name);
      } else if (Sub == "AT_AddConstraint" && DefType == "Constraint") {
        addConstraint(*T, Def);
      } else if (Sub == "AT_DropConstraint") {
        llvm::erase_if(T->Keys, [&](const SchemaKey &K) {
          return llvm::StringRef(K.Name).equals_insensitive(Name);
        });
      } else if (Sub == "AT_SetNotNull" || Sub == "AT_DropNotNull") {
        for (SchemaColumn &C : T->Columns)
          if (llvm::StringRef(C.Name).equals_insensitive(Name))
            C.NotNull = Sub == "AT_SetNotNull";
      } else if (Sub == "AT_AlterColumnType" && DefType == "ColumnDef") {
        for (SchemaColumn &C : T->Columns)
          if (llvm::StringRef(C.Name).equals_insensitive(Name))
            C.Type = typeText(getObject(Def, "typeName"));
      }
    }
  }

  /// Drops a column and, as PostgreSQL does, the keys and indexes over it.
  static void dropColumn(SchemaTable &T, llvm::StringRef Name) {
    auto Is = [&](llvm::StringRef C) { return C.equals_insensitive(Name); };
    llvm::erase_if(T.Columns, [&](const SchemaColumn &C) { return Is(C.Name); });
    llvm::erase_if(T.Keys,
                   [&](const SchemaKey &K) { return llvm::any_of(K.Columns, Is); });
    llvm::erase_if(T.Indexes, [&](const SchemaIndex &I) {
      return llvm::any_of(I.Keys,
                          [&](const SchemaIndexKey &K) { return Is(K.Column); });
    });
  }

  void rename(const Object *Body) {
    llvm::StringRef Kind = stringField(Body, "renameType");
    llvm::StringRef New = stringField(Body, "newname");
    std::string Rel = relationName(getObject(Body, "relation"));
    if (Kind == "OBJECT_INDEX") {
      for (auto &Entry : S.Tables)
        for (SchemaIndex &I : Entry.second.Indexes)
          if (llvm::StringRef(I.Name).equals_insensitive(Rel))
            I.Name = New.str();
      return;
    }
    SchemaTable *T = S.find(Rel);
    if (!T || New.empty())
      return;
    if (Kind == "OBJECT_TABLE" || Kind == "OBJECT_MATVIEW" || Kind == "OBJECT_VIEW") {
      SchemaTable Moved = std::move(*T);
      S.Tables.erase(schemaKey(Rel));
      Moved.Name = New.str();
      S.Tables[schemaKey(New)] = std::move(Moved);
    } else if (Kind == "OBJECT_COLUMN") {
      llvm::StringRef Old = stringField(Body, "subname");
      auto Rename = [&](std::string &Name) {
        if (llvm::StringRef(Name).equals_insensitive(Old))
          Name = New.str();
      };
      for (SchemaColumn &C : T->Columns)
        Rename(C.Name);
      for (SchemaKey &K : T->Keys)
        llvm::for_each(K.Columns, Rename);
      for (SchemaIndex &I : T->Indexes)
        for (SchemaIndexKey &K : I.Keys)
          if (llvm::StringRef(K.Column).equals_insensitive(Old)) {
            K.Column = New.str();
            if (!K.Function.empty())
              K.Expression = K.Function + "(" + K.Column + ")";
          }
    } else if (Kind == "OBJECT_TABCONSTRAINT") {
      for (SchemaKey &K : T->Keys)
        if (llvm::StringRef(K.Name).equals_insensitive(stringField(Body, "subname")))
          K.Name = New.str();
    }
  }

  void drop(const Object *Body) {
    llvm::StringRef Kind = stringField(Body, "removeType");
    std::optional<Array> Objects = arrayField(Body, "objects");
    if (!Objects)
      return;
    for (const Value &O : *Objects) {
      std::string Name = lastName(arrayField(asNode(&O, "List"), "items"));
      if (Kind == "OBJECT_TABLE" || Kind == "OBJECT_MATVIEW" || Kind == "OBJECT_VIEW")
        S.Tables.erase(schemaKey(Name));
      else if (Kind == "OBJECT_INDEX")
        for (auto &Entry : S.Tables)
          llvm::erase_if(Entry.second.Indexes, [&](const SchemaIndex &I) {
            return llvm::StringRef(I.Name).equals_insensitive(Name);
          });
    }
  }

  Schema &S;
  llvm::StringRef File, Text;
  LineTable Lines;
  const MappedText *Current = nullptr;
};

void Schema::applyFile(llvm::StringRef File, llvm::StringRef Sql, SqlDialect D) {
  Files.push_back(File.str());
  DdlApplier(*this, File, Sql).run(D);
}

} // namespace stresslint
