#include "campaigns/campaign_repository.h"

#include "campaigns/campaign_json.h"

namespace vaarta::campaigns {
namespace {

using storage::Int;
using storage::OptInt;
using storage::Text;

constexpr const char* kColumns =
    "id, name, state, config, created_at, created_by, updated_at, started_at, finished_at";

// The name is a column of its own; keeping it out of the document leaves one copy.
std::string ConfigText(const Campaign& c) {
  nlohmann::json config = CampaignConfigToJson(c);
  config.erase("name");
  return config.dump();
}

Campaign FromRow(const storage::Row& r) {
  Campaign c;
  // Stored documents were validated when saved; should one hold a field this version no
  // longer knows, that field is skipped and the rest of the campaign still loads.
  auto config = nlohmann::json::parse(r.GetText(3), nullptr, false);
  if (config.is_object()) (void)ReadCampaignConfig(config, &c);
  c.id = r.GetInt(0);
  c.name = r.GetText(1);
  c.state = ParseCampaignState(r.GetText(2)).value_or(CampaignState::kDraft);
  c.created_at = r.GetInt(4);
  c.created_by = r.GetText(5);
  c.updated_at = r.GetInt(6);
  c.started_at = r.GetOptInt(7);
  c.finished_at = r.GetOptInt(8);
  return c;
}

std::map<std::string, int64_t> Counts(storage::Transaction& tx, const std::string& sql, int64_t id,
                                      int64_t* total) {
  std::map<std::string, int64_t> out;
  for (const auto& row : tx.Execute(sql, {Int(id)}).rows) {
    int64_t n = row.GetInt(1);
    if (total) *total += n;
    if (!row.GetText(0).empty()) out[row.GetText(0)] += n;
  }
  return out;
}

}  // namespace

int64_t CampaignRepository::Insert(storage::Transaction& tx, const Campaign& c) {
  return tx
      .Execute(
          "INSERT INTO campaigns (name, state, config, created_at, created_by, updated_at, "
          "started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
          {Text(c.name), Text(std::string(CampaignStateName(c.state))), Text(ConfigText(c)),
           Int(c.created_at), Text(c.created_by), Int(c.updated_at), OptInt(c.started_at),
           OptInt(c.finished_at)})
      .rows[0]
      .GetInt(0);
}

void CampaignRepository::Update(storage::Transaction& tx, const Campaign& c) {
  tx.Execute(
      "UPDATE campaigns SET name = $2, state = $3, config = $4, updated_at = $5, started_at = $6, "
      "finished_at = $7 WHERE id = $1",
      {Int(c.id), Text(c.name), Text(std::string(CampaignStateName(c.state))), Text(ConfigText(c)),
       Int(c.updated_at), OptInt(c.started_at), OptInt(c.finished_at)});
}

std::optional<Campaign> CampaignRepository::FindById(storage::Transaction& tx, int64_t id,
                                                     bool lock) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM campaigns WHERE id = $1";
  if (lock && tx.dialect() == storage::Dialect::kPostgres) sql += " FOR UPDATE";
  auto rows = tx.Execute(sql, {Int(id)}).rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::optional<int64_t> CampaignRepository::FindIdByName(storage::Transaction& tx,
                                                        const std::string& name) {
  auto rows = tx.Execute("SELECT id FROM campaigns WHERE name = $1", {Text(name)}).rows;
  if (rows.empty()) return std::nullopt;
  return rows[0].GetInt(0);
}

std::vector<Campaign> CampaignRepository::List(storage::Transaction& tx,
                                               std::optional<CampaignState> state,
                                               int64_t before_id, int limit) {
  storage::Params params;
  std::string sql = std::string("SELECT ") + kColumns + " FROM campaigns WHERE 1 = 1";
  if (state) {
    params.Add(Text(std::string(CampaignStateName(*state))));
    sql += " AND state = $" + std::to_string(params.values().size());
  }
  if (before_id > 0) {
    params.Add(Int(before_id));
    sql += " AND id < $" + std::to_string(params.values().size());
  }
  params.Add(Int(limit));
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.values().size());
  std::vector<Campaign> out;
  for (const auto& row : tx.Execute(sql, params).rows) out.push_back(FromRow(row));
  return out;
}

std::vector<int64_t> CampaignRepository::MissingLists(storage::Transaction& tx,
                                                      const std::vector<int64_t>& list_ids) {
  std::vector<int64_t> missing;
  for (int64_t id : list_ids) {
    if (tx.Execute("SELECT 1 FROM lead_lists WHERE id = $1", {Int(id)}).rows.empty()) {
      missing.push_back(id);
    }
  }
  return missing;
}

CampaignStats CampaignRepository::Stats(storage::Transaction& tx, int64_t id) {
  CampaignStats s;
  s.leads_by_state =
      Counts(tx, "SELECT state, COUNT(*) FROM campaign_leads WHERE campaign_id = $1 GROUP BY state",
             id, &s.leads);
  s.leads_by_outcome = Counts(tx,
                              "SELECT last_outcome, COUNT(*) FROM campaign_leads WHERE "
                              "campaign_id = $1 GROUP BY last_outcome",
                              id, nullptr);
  s.attempts_by_status = Counts(
      tx, "SELECT status, COUNT(*) FROM call_attempts WHERE campaign_id = $1 GROUP BY status", id,
      &s.attempts);
  s.attempts_by_outcome = Counts(
      tx, "SELECT outcome, COUNT(*) FROM call_attempts WHERE campaign_id = $1 GROUP BY outcome", id,
      nullptr);
  return s;
}

}  // namespace vaarta::campaigns
