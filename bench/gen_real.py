#!/usr/bin/env python3
"""Generates C++ TUs over real libraries' headers, for the benchmark's
real-code rows (docs/performance.md).

The generated project of bench/gen_project.py includes few headers; real
code includes many, and most of a TU's declarations are then the
libraries'. Two kinds, each with its own compilation database:

- Qt 6: a Qt application's data layer (as in strawberry or zeal): a
  QObject-derived backend per TU over QtSql (SELECT *, OFFSET, a query per
  item in a loop, a leading-wildcard LIKE), QtConcurrent, QtNetwork and
  QJson, with the flags qmake and hand-written builds use:
  `-I<qt6> -I<qt6>/QtCore ...`, so Qt's headers are not system headers.
- Boost: a TU over Boost.Asio, Beast, PropertyTree, Spirit and Format from
  /usr/include (system headers), an HTTP handler running a query per item.

Output: <out>/<kind>/src/*.cpp, <out>/<kind>/include/app/*.h and
<out>/<kind>/build/compile_commands.json per kind. Deterministic; Python 3
standard library only.
"""

import glob
import json
import os

QT_MODULES = ["QtCore", "QtSql", "QtNetwork", "QtConcurrent"]

QT_SONG_H = """#pragma once
#include <QString>
#include <QtGlobal>

namespace app {
struct Song {
  qint64 id = 0;
  QString title;
  QString cover;
};
inline QString songsTable(int shard) { return QStringLiteral("songs_%1").arg(shard); }
}  // namespace app
"""

QT_TU = """#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QList>
#include <QMap>
#include <QHash>
#include <QDateTime>
#include <QMutex>
#include <QMutexLocker>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlError>
#include <QSqlRecord>
#include <QFuture>
#include <QtConcurrent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>
#include "app/song.h"

namespace app {

class Backend{k} : public QObject {
 public:
  explicit Backend{k}(QSqlDatabase db) : db_(db) {}

  QList<Song> page(int page) {
    QMutexLocker lock(&mutex_);
    QSqlQuery q(db_);
    q.prepare(QStringLiteral("SELECT * FROM songs{k} ORDER BY title LIMIT 50 OFFSET %1").arg(page * 50));
    QList<Song> out;
    if (!q.exec()) return out;
    while (q.next()) out << Song{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()};
    return out;
  }

  void markPlayed(const QList<qint64> &ids) {
    for (qint64 id : ids) {
      QSqlQuery q(db_);
      q.prepare(QStringLiteral("UPDATE songs{k} SET played = played + 1, last = ? WHERE id = ?"));
      q.addBindValue(QDateTime::currentDateTime());
      q.addBindValue(id);
      q.exec();
    }
  }

  QStringList search(const QString &text) {
    QSqlQuery q(db_);
    q.prepare(QStringLiteral("SELECT title FROM songs{k} WHERE title LIKE '%' || ? || '%'"));
    q.addBindValue(text);
    QStringList out;
    if (q.exec())
      while (q.next()) out << q.value(0).toString();
    return out;
  }

  QFuture<int> countAsync() {
    return QtConcurrent::run([this] {
      QSqlQuery q(db_);
      q.exec(QStringLiteral("SELECT COUNT(*) FROM songs{k}"));
      return q.next() ? q.value(0).toInt() : 0;
    });
  }

  QHash<QString, int> countsByArtist() {
    QHash<QString, int> out;
    QSqlQuery q(db_);
    q.exec(QStringLiteral("SELECT artist, COUNT(*) FROM songs{k} GROUP BY artist"));
    while (q.next()) out.insert(q.value(0).toString(), q.value(1).toInt());
    return out;
  }

  QJsonDocument toJson(const QList<Song> &songs) const {
    QJsonArray a;
    for (const Song &s : songs) {
      QJsonObject o;
      o[QStringLiteral("id")] = s.id;
      o[QStringLiteral("title")] = s.title;
      a.append(o);
    }
    return QJsonDocument(a);
  }

  void fetchCovers(QNetworkAccessManager &nam, const QList<Song> &songs) {
    for (const Song &s : songs) {
      QNetworkReply *r = nam.get(QNetworkRequest(QUrl(s.cover)));
      QObject::connect(r, &QNetworkReply::finished, this, [this, r, id = s.id] {
        covers_.insert(id, r->readAll());
        r->deleteLater();
      });
    }
  }

  QMap<QString, QVariant> settings(int shard) {
    QSqlQuery q(db_);
    q.exec(QStringLiteral("SELECT key, value FROM ") + songsTable(shard) + QStringLiteral("_settings"));
    QMap<QString, QVariant> out;
    while (q.next()) out[q.value(0).toString()] = q.value(1);
    return out;
  }

 private:
  QSqlDatabase db_;
  QMutex mutex_;
  QHash<qint64, QByteArray> covers_;
};

QStringList titles{k}(QSqlDatabase db, const QList<qint64> &ids) {
  Backend{k} b(db);
  b.markPlayed(ids);
  return b.search(QStringLiteral("live"));
}

}  // namespace app
"""

BOOST_DB_H = """#pragma once
#include <string>

namespace app {
struct Db {
  void exec(const std::string &sql);
};
inline void touch(Db &db, int id) {
  db.exec("UPDATE items SET seen = now() WHERE id = " + std::to_string(id));
}
}  // namespace app
"""

BOOST_TU = """#include <boost/algorithm/string.hpp>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/format.hpp>
#include <boost/lexical_cast.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/spirit/include/qi.hpp>
#include <sstream>
#include <string>
#include <vector>
#include "app/db.h"

namespace app {
namespace beast = boost::beast;
namespace http = beast::http;
namespace qi = boost::spirit::qi;
using tcp = boost::asio::ip::tcp;

std::vector<int> parseIds{k}(const std::string &s) {
  std::vector<int> out;
  qi::phrase_parse(s.begin(), s.end(), qi::int_ % ',', boost::spirit::ascii::space, out);
  return out;
}

std::string render{k}(const boost::property_tree::ptree &t) {
  std::ostringstream os;
  boost::property_tree::write_json(os, t);
  return os.str();
}

void handle{k}(Db &db, http::request<http::string_body> &req, tcp::socket &sock) {
  std::vector<std::string> parts;
  boost::split(parts, req.target(), boost::is_any_of("/"));
  boost::property_tree::ptree t;
  std::istringstream in(req.body());
  boost::property_tree::read_json(in, t);
  for (int id : parseIds{k}(t.get<std::string>("ids"))) {
    db.exec((boost::format("SELECT * FROM items{k} WHERE id = %1%") % id).str());
    touch(db, id);
  }
  http::response<http::string_body> res{http::status::ok, req.version()};
  res.body() = render{k}(t) + boost::lexical_cast<std::string>(parts.size());
  res.prepare_payload();
  http::write(sock, res);
}

void serve{k}(Db &db, unsigned short port) {
  boost::asio::io_context ioc;
  tcp::acceptor acc(ioc, {tcp::v4(), port});
  for (;;) {
    tcp::socket sock(ioc);
    acc.accept(sock);
    beast::flat_buffer buf;
    http::request<http::string_body> req;
    http::read(sock, buf, req);
    handle{k}(db, req, sock);
  }
}

}  // namespace app
"""


def qt6_include_dir():
    """Debian/Ubuntu's multiarch directory, else /usr/include/qt6; None
    without qt6-base-dev."""
    for d in sorted(glob.glob("/usr/include/*/qt6")) + ["/usr/include/qt6"]:
        if all(os.path.isdir(os.path.join(d, m)) for m in QT_MODULES):
            return d
    return None


def boost_available():
    return os.path.exists("/usr/include/boost/beast/http.hpp")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def write_project(root, clangxx, flags, header_name, header, tu, count):
    sources = []
    write(os.path.join(root, "include", "app", header_name), header)
    for k in range(count):
        src = os.path.join(root, "src", f"tu{k}.cpp")
        write(src, tu.replace("{k}", str(k)))
        sources.append(src)
    entries = [{"directory": root, "file": s,
                "arguments": [clangxx, *flags, "-I" + os.path.join(root, "include"), "-c", s,
                              "-o", s + ".o"]}
               for s in sources]
    write(os.path.join(root, "build", "compile_commands.json"), json.dumps(entries, indent=1))
    return {"build": os.path.join(root, "build"), "sources": sources}


def generate(out, qt_tus, boost_tus, clangxx):
    """Writes the projects that can be built here; returns {kind: manifest}
    and, under "missing", what is not installed (a Debian package name)."""
    result = {"missing": []}
    qt = qt6_include_dir()
    if qt_tus and qt:
        flags = ["-std=c++17", "-fPIC", "-DQT_CORE_LIB", "-DQT_SQL_LIB", "-DQT_NETWORK_LIB",
                 "-DQT_CONCURRENT_LIB", "-I" + qt] + ["-I" + os.path.join(qt, m) for m in QT_MODULES]
        result["qt"] = write_project(os.path.join(out, "qt"), clangxx, flags, "song.h",
                                     QT_SONG_H, QT_TU, qt_tus)
    elif qt_tus:
        result["missing"].append("qt6-base-dev")
    if boost_tus and boost_available():
        result["boost"] = write_project(os.path.join(out, "boost"), clangxx,
                                        ["-std=c++17", "-O2", "-DNDEBUG"], "db.h", BOOST_DB_H,
                                        BOOST_TU, boost_tus)
    elif boost_tus:
        result["missing"].append("libboost-dev")
    return result
