#pragma once
// PostgreSQL implementation of Database (libpqxx): a pool of connections shared by
// the worker threads; several servers may share one PostgreSQL.
#include <memory>
#include <string>

#include "storage/database.h"

namespace vaarta::storage {

std::unique_ptr<Database> OpenPostgresDatabase(const std::string& url, int pool_size);

}  // namespace vaarta::storage
