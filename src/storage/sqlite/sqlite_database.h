#pragma once
// SQLite implementation of Database: a small pool of connections to one file in WAL
// mode. Writers serialise on SQLite's lock (BEGIN IMMEDIATE + busy timeout); readers
// run concurrently against the WAL snapshot.
#include <memory>
#include <string>

#include "storage/database.h"

namespace vaarta::storage {

std::unique_ptr<Database> OpenSqliteDatabase(const std::string& path, int pool_size);

}  // namespace vaarta::storage
