#pragma once
// SettingsRepository: business-wide settings as JSON values under dotted keys
// ("calling.window_start"); later modules read their defaults from here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace vaarta::settings {

struct Setting {
  std::string key;
  std::string value;  // JSON text
  int64_t updated_at = 0;
  std::string updated_by;
};

class SettingsRepository {
 public:
  std::optional<Setting> Get(storage::Transaction& tx, const std::string& key);
  std::vector<Setting> List(storage::Transaction& tx);
  void Put(storage::Transaction& tx, const Setting& setting);  // insert or replace
  bool Delete(storage::Transaction& tx, const std::string& key);
};

}  // namespace vaarta::settings
