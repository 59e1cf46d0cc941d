#include "campaigns/campaign_enrollment.h"

#include <unicode/unistr.h>

#include "campaigns/campaign_json.h"
#include "storage/id_list.h"
#include "storage/like_pattern.h"

namespace vaarta::campaigns {
namespace {

using storage::Int;
using storage::Text;

// The queue row of a fresh lead; the caller adds the FROM and WHERE that pick the leads.
// The casts give PostgreSQL the parameters' types, which a SELECT list does not imply.
constexpr const char* kInsertFresh =
    "INSERT INTO campaign_leads (campaign_id, lead_id, state, priority, next_at, updated_at) "
    "SELECT DISTINCT CAST($1 AS BIGINT), l.id, 'queued', 1, CAST($2 AS BIGINT), "
    "CAST($2 AS BIGINT) ";
// SQLite needs the SELECT to end in a WHERE clause before an upsert's ON CONFLICT.
constexpr const char* kOnConflict = " ON CONFLICT (campaign_id, lead_id) DO NOTHING";

// The text filter matched the way the leads listing matches it: case-folded, and a
// number's digits without its '+'.
std::string FoldSearchText(const std::string& text) {
  std::string folded;
  icu::UnicodeString::fromUTF8(text).trim().foldCase().toUTF8String(folded);
  if (!folded.empty() && folded[0] == '+') folded.erase(0, 1);
  return folded;
}

// The WHERE clause of the leads a saved filter selects (the leads listing's filters).
std::string FilterWhere(const leads::LeadFilter& f, storage::Params* params) {
  auto next = [params](storage::Value v) {
    params->Add(std::move(v));
    return "$" + std::to_string(params->values().size());
  };
  std::string where = "l.erased_at IS NULL";
  if (f.list_id) {
    where +=
        " AND EXISTS (SELECT 1 FROM lead_list_members m WHERE m.lead_id = l.id AND "
        "m.list_id = " +
        next(Int(*f.list_id)) + ")";
  }
  if (f.tag) {
    where += " AND EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = l.id AND t.tag = " +
             next(Text(*f.tag)) + ")";
  }
  if (f.status) where += " AND l.status = " + next(Text(*f.status));
  if (f.language) where += " AND l.language = " + next(Text(*f.language));
  if (f.dnd_state) where += " AND l.dnd_state = " + next(Text(*f.dnd_state));
  if (f.owner_id) where += " AND l.owner_id = " + next(Int(*f.owner_id));
  if (f.text) {
    where += " AND l.search_text LIKE " +
             next(Text("%" + storage::EscapeLike(FoldSearchText(*f.text)) + "%")) + " ESCAPE '\\'";
  }
  return where;
}

}  // namespace

int64_t CampaignEnrollment::Enroll(storage::Transaction& tx, const Campaign& campaign,
                                   int64_t now) {
  int64_t added = 0;
  if (!campaign.list_ids.empty()) {
    std::string sql = std::string(kInsertFresh) +
                      "FROM lead_list_members m JOIN leads l ON l.id = m.lead_id WHERE " +
                      storage::AnyOfIds(tx.dialect(), "m.list_id", "$3") +
                      " AND l.erased_at IS NULL" + kOnConflict;
    added += tx.Execute(sql, {Int(campaign.id), Int(now),
                              storage::IdsValue(tx.dialect(), campaign.list_ids)})
                 .affected_rows;
  }
  if (campaign.lead_filter.is_object()) {
    storage::Params params{Int(campaign.id), Int(now)};
    std::string where = FilterWhere(ToLeadFilter(campaign.lead_filter), &params);
    std::string sql = std::string(kInsertFresh) + "FROM leads l WHERE " + where + kOnConflict;
    added += tx.Execute(sql, params).affected_rows;
  }
  return added;
}

int64_t CampaignEnrollment::Count(storage::Transaction& tx, int64_t campaign_id) {
  return tx
      .Execute("SELECT COUNT(*) FROM campaign_leads WHERE campaign_id = $1", {Int(campaign_id)})
      .rows[0]
      .GetInt(0);
}

}  // namespace vaarta::campaigns
