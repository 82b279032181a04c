//===--- MysqlDdl.h - MySQL's CREATE TABLE as PostgreSQL reads it ----------===//
///
/// \file
/// MySQL (and MariaDB, SQLite) write CREATE TABLE with syntax PostgreSQL's
/// grammar rejects: column attributes (`AUTO_INCREMENT`, `UNSIGNED`,
/// `COMMENT '...'`, `ON UPDATE CURRENT_TIMESTAMP`, `CHARACTER SET x`),
/// display widths (`int(11)`), index clauses (`UNIQUE KEY name (...)`,
/// `FULLTEXT KEY ...`, `USING BTREE`) and table options after the closing
/// parenthesis (`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`). The schema reader
/// tries a statement that does not parse once more without them; what they
/// say is not part of the schema model (a FULLTEXT index serves no LIKE).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SCHEMA_MYSQLDDL_H
#define STRESSLINT_SCHEMA_MYSQLDDL_H

#include "sql/MappedText.h"
#include <optional>

namespace stresslint {

/// \p Stmt, a CREATE TABLE, without the MySQL-only tokens; its bytes still
/// map to the original text. None when \p Stmt is not a CREATE TABLE with
/// a column list, or has nothing to drop.
std::optional<MappedText> mysqlCreateTableAsPostgres(const MappedText &Stmt);

} // namespace stresslint

#endif
