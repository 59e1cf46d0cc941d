#include "settings/settings_repository.h"

namespace vaarta::settings {
namespace {

Setting FromRow(const storage::Row& row) {
  Setting setting;
  setting.key = row.GetText(0);
  setting.value = row.GetText(1);
  setting.updated_at = row.GetInt(2);
  setting.updated_by = row.GetText(3);
  return setting;
}

}  // namespace

std::optional<Setting> SettingsRepository::Get(storage::Transaction& tx, const std::string& key) {
  auto result = tx.Execute("SELECT key, value, updated_at, updated_by FROM settings WHERE key = $1",
                           {storage::Text(key)});
  if (result.rows.empty()) return std::nullopt;
  return FromRow(result.rows.front());
}

std::vector<Setting> SettingsRepository::List(storage::Transaction& tx) {
  auto result = tx.Execute("SELECT key, value, updated_at, updated_by FROM settings ORDER BY key");
  std::vector<Setting> settings;
  settings.reserve(result.rows.size());
  for (const auto& row : result.rows) settings.push_back(FromRow(row));
  return settings;
}

void SettingsRepository::Put(storage::Transaction& tx, const Setting& setting) {
  // An upsert rather than read-then-write, so concurrent writers of one key cannot
  // collide on the primary key; both SQLite (3.24+) and PostgreSQL accept this form.
  tx.Execute(
      "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
      "updated_by = excluded.updated_by",
      {storage::Text(setting.key), storage::Text(setting.value), storage::Int(setting.updated_at),
       storage::Text(setting.updated_by)});
}

bool SettingsRepository::Delete(storage::Transaction& tx, const std::string& key) {
  return tx.Execute("DELETE FROM settings WHERE key = $1", {storage::Text(key)}).affected_rows > 0;
}

}  // namespace vaarta::settings
