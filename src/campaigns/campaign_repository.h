#pragma once
// CampaignRepository: all SQL about the campaigns table. A campaign's configuration is
// one JSON document (campaign_json.h) beside the columns lists filter and sort on (name,
// state) and the lifecycle times; the stats read the dialer's tables.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/campaign.h"
#include "storage/database.h"

namespace vaarta::campaigns {

// Where a campaign's leads and calls stand.
struct CampaignStats {
  int64_t leads = 0;
  std::map<std::string, int64_t> leads_by_state;    // campaign_leads.state
  std::map<std::string, int64_t> leads_by_outcome;  // campaign_leads.last_outcome ("" omitted)
  int64_t attempts = 0;
  std::map<std::string, int64_t> attempts_by_status;   // call_attempts.status
  std::map<std::string, int64_t> attempts_by_outcome;  // call_attempts.outcome ("" omitted)
};

class CampaignRepository {
 public:
  // Returns the new id. Throws storage::DatabaseError(kUniqueViolation) when the name is
  // taken (a concurrent create that FindIdByName could not see).
  int64_t Insert(storage::Transaction& tx, const Campaign& campaign);
  // Writes everything but the id and the creation facts.
  void Update(storage::Transaction& tx, const Campaign& campaign);
  // `lock`: on PostgreSQL the row stays locked until the transaction ends, so that two
  // servers changing one campaign take turns (SQLite's write transaction already does).
  std::optional<Campaign> FindById(storage::Transaction& tx, int64_t id, bool lock = false);
  std::optional<int64_t> FindIdByName(storage::Transaction& tx, const std::string& name);
  // Newest first: campaigns with id < before_id (0 = from the newest), at most limit.
  std::vector<Campaign> List(storage::Transaction& tx, std::optional<CampaignState> state,
                             int64_t before_id, int limit);
  // The ids among `list_ids` that name no lead list.
  std::vector<int64_t> MissingLists(storage::Transaction& tx, const std::vector<int64_t>& list_ids);
  CampaignStats Stats(storage::Transaction& tx, int64_t id);
};

}  // namespace vaarta::campaigns
