#include "leads/lead_list_repository.h"

namespace vaarta::leads {
namespace {

using storage::Int;
using storage::Text;

LeadList FromRow(const storage::Row& r) {
  return LeadList{r.GetInt(0), r.GetText(1), r.GetInt(2), r.GetText(3),
                  r.size() > 4 ? r.GetInt(4) : 0};
}

}  // namespace

LeadList LeadListRepository::FindOrCreate(storage::Transaction& tx, const std::string& name,
                                          const std::string& actor, int64_t now) {
  if (auto found = FindByName(tx, name)) return *found;
  auto rows = tx.Execute(
                    "INSERT INTO lead_lists (name, created_at, created_by) VALUES ($1, $2, $3) "
                    "RETURNING id, name, "
                    "created_at, created_by",
                    {Text(name), Int(now), Text(actor)})
                  .rows;
  return FromRow(rows[0]);
}

std::optional<LeadList> LeadListRepository::FindById(storage::Transaction& tx, int64_t id) {
  auto rows = tx.Execute(
                    "SELECT id, name, created_at, created_by, (SELECT COUNT(*) FROM "
                    "lead_list_members m WHERE "
                    "m.list_id = lead_lists.id) FROM lead_lists WHERE id = $1",
                    {Int(id)})
                  .rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::optional<LeadList> LeadListRepository::FindByName(storage::Transaction& tx,
                                                       const std::string& name) {
  auto rows = tx.Execute("SELECT id, name, created_at, created_by FROM lead_lists WHERE name = $1",
                         {Text(name)})
                  .rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::vector<LeadList> LeadListRepository::List(storage::Transaction& tx) {
  std::vector<LeadList> out;
  for (const auto& row :
       tx.Execute("SELECT l.id, l.name, l.created_at, l.created_by, COUNT(m.lead_id) FROM "
                  "lead_lists l LEFT JOIN lead_list_members m ON m.list_id = l.id GROUP BY "
                  "l.id, l.name, l.created_at, l.created_by ORDER BY l.name")
           .rows) {
    out.push_back(FromRow(row));
  }
  return out;
}

}  // namespace vaarta::leads
