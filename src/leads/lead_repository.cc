#include "leads/lead_repository.h"

#include <algorithm>
#include <sstream>

#include "leads/lead_search_index.h"
#include "storage/id_list.h"
#include "storage/like_pattern.h"

namespace vaarta::leads {
namespace {

using storage::Int;
using storage::Null;
using storage::OptInt;
using storage::OptText;
using storage::Params;
using storage::Text;

constexpr const char* kColumns =
    "id, phone_e164, phone_raw, phone_extension, phone_type, alt_phones, name, email, language, "
    "city, state, time_zone, source_kind, source_detail, custom, owner_id, status, dnd_state, "
    "dnd_checked_on, import_job_id, created_at, updated_at, erased_at";

nlohmann::json ParseJson(const std::string& text, nlohmann::json fallback) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

Lead FromRow(const storage::Row& r) {
  Lead l;
  l.id = r.GetInt(0);
  l.phone_e164 = r.GetOptText(1);
  l.phone_raw = r.GetText(2);
  l.phone_extension = r.GetText(3);
  l.phone_type = r.GetText(4);
  for (const auto& p : ParseJson(r.GetText(5), nlohmann::json::array())) {
    if (p.is_string()) l.alt_phones.push_back(p.get<std::string>());
  }
  l.name = r.GetText(6);
  l.email = r.GetText(7);
  l.language = r.GetText(8);
  l.city = r.GetText(9);
  l.state = r.GetText(10);
  l.time_zone = r.GetText(11);
  l.source_kind = r.GetText(12);
  l.source_detail = r.GetText(13);
  l.custom = ParseJson(r.GetText(14), nlohmann::json::object());
  l.owner_id = r.GetOptInt(15);
  l.status = r.GetText(16);
  l.dnd_state = r.GetText(17);
  l.dnd_checked_on = r.GetText(18);
  l.import_job_id = r.GetOptInt(19);
  l.created_at = r.GetInt(20);
  l.updated_at = r.GetInt(21);
  l.erased_at = r.GetOptInt(22);
  return l;
}

// Fills tags and list ids for a page of leads with one query each.
void LoadTagsAndLists(storage::Transaction& tx, std::vector<Lead>* leads) {
  if (leads->empty()) return;
  std::string in;
  Params params;
  for (size_t i = 0; i < leads->size(); ++i) {
    in += (i ? ",$" : "$") + std::to_string(i + 1);
    params.Add(Int((*leads)[i].id));
  }
  auto index_of = [&](int64_t id) -> Lead* {
    for (auto& l : *leads) {
      if (l.id == id) return &l;
    }
    return nullptr;
  };
  for (const auto& row :
       tx.Execute("SELECT lead_id, tag FROM lead_tags WHERE lead_id IN (" + in + ") ORDER BY tag",
                  params)
           .rows) {
    if (Lead* l = index_of(row.GetInt(0))) l->tags.push_back(row.GetText(1));
  }
  for (const auto& row :
       tx.Execute("SELECT lead_id, list_id FROM lead_list_members WHERE lead_id IN (" + in +
                      ") ORDER BY list_id",
                  params)
           .rows) {
    if (Lead* l = index_of(row.GetInt(0))) l->list_ids.push_back(row.GetInt(1));
  }
}

}  // namespace

std::vector<Lead> LeadRepository::List(storage::Transaction& tx, const LeadFilter& filter,
                                       int64_t before_id, int limit) {
  if (filter.text && SearchIndexCanAnswer(*filter.text) && SearchQueueEmpty(tx)) {
    // The search index gives the newest matching ids a window at a time; each window
    // is checked against the other filters until the page is full. A term that few
    // leads hold takes one window; one that many hold fills the page from the first.
    constexpr int kWindow = 2000;
    std::vector<Lead> out;
    int64_t below = before_id;
    while (static_cast<int>(out.size()) < limit) {
      std::vector<int64_t> ids = SearchCandidates(tx, *filter.text, below, kWindow);
      if (ids.empty()) break;
      auto more = ListWhere(tx, filter, below, limit - static_cast<int>(out.size()), &ids);
      for (auto& lead : more) out.push_back(std::move(lead));
      if (static_cast<int>(ids.size()) < kWindow) break;
      below = ids.back();
    }
    return out;
  }
  return ListWhere(tx, filter, before_id, limit, nullptr);
}

std::vector<Lead> LeadRepository::ListWhere(storage::Transaction& tx, const LeadFilter& filter,
                                            int64_t before_id, int limit,
                                            const std::vector<int64_t>* among_ids) {
  // The membership and tag filters drive the scan through their (key, lead_id) indexes
  // when present; otherwise the leads table is walked newest first by id.
  std::string sql = "SELECT ";
  std::string cols = kColumns;
  std::string from = " FROM leads";
  std::vector<std::string> where = {"leads.erased_at IS NULL"};
  Params params;
  auto next = [&params](storage::Value v) {
    params.Add(std::move(v));
    return "$" + std::to_string(params.values().size());
  };
  std::string order_column = "leads.id";
  if (filter.list_id) {
    from = " FROM lead_list_members m JOIN leads ON leads.id = m.lead_id";
    where.push_back("m.list_id = " + next(Int(*filter.list_id)));
    order_column = "m.lead_id";
  } else if (filter.tag) {
    from = " FROM lead_tags t JOIN leads ON leads.id = t.lead_id";
    where.push_back("t.tag = " + next(Text(*filter.tag)));
    order_column = "t.lead_id";
  }
  if (filter.tag && filter.list_id) {
    where.push_back("EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = " +
                    next(Text(*filter.tag)) + ")");
  }
  if (filter.status) where.push_back("leads.status = " + next(Text(*filter.status)));
  if (filter.language) where.push_back("leads.language = " + next(Text(*filter.language)));
  if (filter.dnd_state) where.push_back("leads.dnd_state = " + next(Text(*filter.dnd_state)));
  if (filter.owner_id) where.push_back("leads.owner_id = " + next(Int(*filter.owner_id)));
  if (filter.text) {
    where.push_back("leads.search_text LIKE " +
                    next(Text("%" + storage::EscapeLike(*filter.text) + "%")) + " ESCAPE '\\'");
  }
  if (!filter.phones.empty()) {
    std::string in;
    for (const auto& phone : filter.phones) in += (in.empty() ? "" : ", ") + next(Text(phone));
    where.push_back("leads.phone_e164 IN (" + in + ")");
  }
  if (among_ids) {
    where.push_back(storage::AnyOfIds(tx.dialect(), "leads.id",
                                      next(storage::IdsValue(tx.dialect(), *among_ids))));
  }
  if (before_id > 0) where.push_back(order_column + " < " + next(Int(before_id)));
  // Qualify the selected columns with the table name.
  std::string qualified;
  std::stringstream ss(cols);
  std::string col;
  while (std::getline(ss, col, ',')) {
    col.erase(0, col.find_first_not_of(' '));
    qualified += (qualified.empty() ? "leads." : ", leads.") + col;
  }
  sql += qualified + from + " WHERE ";
  for (size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "") + where[i];
  sql += " ORDER BY " + order_column + " DESC LIMIT " + next(Int(limit));
  std::vector<Lead> out;
  for (const auto& row : tx.Execute(sql, params).rows) out.push_back(FromRow(row));
  LoadTagsAndLists(tx, &out);
  return out;
}

std::optional<Lead> LeadRepository::FindById(storage::Transaction& tx, int64_t id) {
  auto rows =
      tx.Execute(std::string("SELECT ") + kColumns + " FROM leads WHERE id = $1", {Int(id)}).rows;
  if (rows.empty()) return std::nullopt;
  std::vector<Lead> one = {FromRow(rows[0])};
  LoadTagsAndLists(tx, &one);
  return one[0];
}

std::optional<Lead> LeadRepository::FindByPhone(storage::Transaction& tx, const std::string& e164) {
  auto rows = tx.Execute(std::string("SELECT ") + kColumns + " FROM leads WHERE phone_e164 = $1",
                         {Text(e164)})
                  .rows;
  if (rows.empty()) return std::nullopt;
  std::vector<Lead> one = {FromRow(rows[0])};
  LoadTagsAndLists(tx, &one);
  return one[0];
}

std::unordered_set<std::string> LeadRepository::AllPhones(storage::Transaction& tx) {
  std::unordered_set<std::string> out;
  for (const auto& row :
       tx.Execute("SELECT phone_e164 FROM leads WHERE phone_e164 IS NOT NULL").rows) {
    out.insert(row.GetText(0));
  }
  return out;
}

std::unordered_set<std::string> LeadRepository::PhonesInList(storage::Transaction& tx,
                                                             int64_t list_id) {
  std::unordered_set<std::string> out;
  for (const auto& row :
       tx.Execute("SELECT l.phone_e164 FROM lead_list_members m JOIN leads l ON l.id = "
                  "m.lead_id WHERE m.list_id = $1 AND l.phone_e164 IS NOT NULL",
                  {Int(list_id)})
           .rows) {
    out.insert(row.GetText(0));
  }
  return out;
}

void LeadRepository::PrepareForBulkInsert(storage::Transaction& tx) {
  if (tx.dialect() == storage::Dialect::kSqlite) {
    // 256 MiB, per connection, only as far as used; it lasts for the connection's life.
    tx.Execute("PRAGMA cache_size = -262144");
  }
}

std::vector<int64_t> LeadRepository::ReserveIds(storage::Transaction& tx, size_t count) {
  std::vector<int64_t> ids;
  ids.reserve(count);
  if (count == 0) return ids;
  if (tx.dialect() == storage::Dialect::kPostgres) {
    // Each value is unique across servers; they need not be contiguous.
    for (const auto& row : tx.Execute("SELECT nextval('leads_id_seq') FROM generate_series(1, $1)",
                                      {Int(static_cast<int64_t>(count))})
                               .rows) {
      ids.push_back(row.GetInt(0));
    }
  } else {
    // The write transaction (BEGIN IMMEDIATE) excludes other writers, so the ids after
    // the current maximum stay free until it commits. AUTOINCREMENT's own counter is
    // consulted too, so ids of deleted leads are never reused.
    int64_t max_id = tx.Execute("SELECT COALESCE(MAX(id), 0) FROM leads").rows[0].GetInt(0);
    auto seq = tx.Execute("SELECT seq FROM sqlite_sequence WHERE name = 'leads'").rows;
    if (!seq.empty()) max_id = std::max(max_id, seq[0].GetInt(0));
    for (size_t i = 1; i <= count; ++i) ids.push_back(max_id + static_cast<int64_t>(i));
  }
  return ids;
}

void LeadRepository::InsertMany(storage::Transaction& tx, std::vector<Lead> leads,
                                std::optional<int64_t> list_id, int64_t now) {
  std::vector<std::vector<storage::Value>> rows, tags, members;
  std::vector<int64_t> ids;
  rows.reserve(leads.size());
  ids.reserve(leads.size());
  for (Lead& l : leads) {
    ids.push_back(l.id);
    std::string search = LeadSearchText(l);
    for (const auto& tag : l.tags) tags.push_back({Int(l.id), Text(tag)});
    if (list_id) members.push_back({Int(*list_id), Int(l.id), Int(now), OptInt(l.import_job_id)});
    rows.push_back({Int(l.id),
                    OptText(l.phone_e164),
                    Text(std::move(l.phone_raw)),
                    Text(std::move(l.phone_extension)),
                    Text(std::move(l.phone_type)),
                    Text(nlohmann::json(l.alt_phones).dump()),
                    Text(std::move(l.name)),
                    Text(std::move(l.email)),
                    Text(std::move(l.language)),
                    Text(std::move(l.city)),
                    Text(std::move(l.state)),
                    Text(std::move(l.time_zone)),
                    Text(std::move(l.source_kind)),
                    Text(std::move(l.source_detail)),
                    Text(l.custom.dump()),
                    OptInt(l.owner_id),
                    Text(std::move(l.status)),
                    Text(std::move(l.dnd_state)),
                    Text(std::move(l.dnd_checked_on)),
                    Text(std::move(search)),
                    OptInt(l.import_job_id),
                    Int(l.created_at),
                    Int(l.updated_at)});
  }
  tx.InsertRows("leads",
                {"id",
                 "phone_e164",
                 "phone_raw",
                 "phone_extension",
                 "phone_type",
                 "alt_phones",
                 "name",
                 "email",
                 "language",
                 "city",
                 "state",
                 "time_zone",
                 "source_kind",
                 "source_detail",
                 "custom",
                 "owner_id",
                 "status",
                 "dnd_state",
                 "dnd_checked_on",
                 "search_text",
                 "import_job_id",
                 "created_at",
                 "updated_at"},
                rows);
  tx.InsertRows("lead_tags", {"lead_id", "tag"}, tags);
  tx.InsertRows("lead_list_members", {"list_id", "lead_id", "added_at", "import_job_id"}, members);
  QueueForSearch(tx, ids);
}

void LeadRepository::Update(storage::Transaction& tx, const Lead& l) {
  RequeueForSearch(tx, l.id);
  tx.Execute(
      "UPDATE leads SET alt_phones = $2, name = $3, email = $4, language = $5, city = $6, state = "
      "$7, "
      "time_zone = $8, custom = $9, owner_id = $10, status = $11, dnd_state = $12, dnd_checked_on "
      "= $13, "
      "search_text = $14, updated_at = $15, source_kind = $16, source_detail = $17 WHERE id = $1",
      {Int(l.id), Text(nlohmann::json(l.alt_phones).dump()), Text(l.name), Text(l.email),
       Text(l.language), Text(l.city), Text(l.state), Text(l.time_zone), Text(l.custom.dump()),
       OptInt(l.owner_id), Text(l.status), Text(l.dnd_state), Text(l.dnd_checked_on),
       Text(LeadSearchText(l)), Int(l.updated_at), Text(l.source_kind), Text(l.source_detail)});
  tx.Execute("DELETE FROM lead_tags WHERE lead_id = $1", {Int(l.id)});
  std::vector<std::vector<storage::Value>> tags;
  for (const auto& tag : l.tags) tags.push_back({Int(l.id), Text(tag)});
  tx.InsertRows("lead_tags", {"lead_id", "tag"}, tags);
}

void LeadRepository::AddToList(storage::Transaction& tx, int64_t list_id,
                               const std::vector<int64_t>& lead_ids,
                               std::optional<int64_t> import_job_id, int64_t now) {
  for (int64_t id : lead_ids) {
    tx.Execute(
        "INSERT INTO lead_list_members (list_id, lead_id, added_at, import_job_id) VALUES ($1, $2, "
        "$3, $4) "
        "ON CONFLICT (list_id, lead_id) DO NOTHING",
        {Int(list_id), Int(id), Int(now), OptInt(import_job_id)});
  }
}

void LeadRepository::AddTag(storage::Transaction& tx, const std::vector<int64_t>& lead_ids,
                            const std::string& tag) {
  for (int64_t id : lead_ids) {
    tx.Execute(
        "INSERT INTO lead_tags (lead_id, tag) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM leads "
        "WHERE id = $1 "
        "AND erased_at IS NULL) ON CONFLICT (lead_id, tag) DO NOTHING",
        {Int(id), Text(tag)});
  }
}

void LeadRepository::RemoveTag(storage::Transaction& tx, const std::vector<int64_t>& lead_ids,
                               const std::string& tag) {
  for (int64_t id : lead_ids) {
    tx.Execute("DELETE FROM lead_tags WHERE lead_id = $1 AND tag = $2", {Int(id), Text(tag)});
  }
}

void LeadRepository::SetStatus(storage::Transaction& tx, int64_t id, const std::string& status,
                               int64_t now) {
  tx.Execute("UPDATE leads SET status = $2, updated_at = $3 WHERE id = $1",
             {Int(id), Text(status), Int(now)});
}

void LeadRepository::Erase(storage::Transaction& tx, int64_t id, int64_t now) {
  RequeueForSearch(tx, id);  // the indexer leaves erased leads out
  tx.Execute(
      "UPDATE leads SET phone_e164 = NULL, phone_raw = '', phone_extension = '', alt_phones = "
      "'[]', name = '', "
      "email = '', city = '', state = '', custom = '{}', search_text = '', source_detail = '', "
      "status = 'erased', "
      "erased_at = $2, updated_at = $2 WHERE id = $1",
      {Int(id), Int(now)});
  tx.Execute("DELETE FROM lead_tags WHERE lead_id = $1", {Int(id)});
  tx.Execute("DELETE FROM lead_list_members WHERE lead_id = $1", {Int(id)});
  tx.Execute("DELETE FROM lead_events WHERE lead_id = $1", {Int(id)});
}

void LeadRepository::AppendEvent(storage::Transaction& tx, const LeadEvent& e) {
  tx.Execute("INSERT INTO lead_events (lead_id, at, kind, actor, data) VALUES ($1, $2, $3, $4, $5)",
             {Int(e.lead_id), Int(e.at), Text(e.kind), Text(e.actor), Text(e.data.dump())});
}

std::vector<LeadEvent> LeadRepository::Events(storage::Transaction& tx, int64_t lead_id,
                                              int64_t before_id, int limit) {
  auto rows = tx.Execute(
                    "SELECT id, lead_id, at, kind, actor, data FROM lead_events WHERE lead_id = $1 "
                    "AND ($2 = 0 OR "
                    "id < $2) ORDER BY id DESC LIMIT $3",
                    {Int(lead_id), Int(before_id), Int(limit)})
                  .rows;
  std::vector<LeadEvent> out;
  for (const auto& r : rows) {
    out.push_back({r.GetInt(0), r.GetInt(1), r.GetInt(2), r.GetText(3), r.GetText(4),
                   ParseJson(r.GetText(5), nlohmann::json::object())});
  }
  return out;
}

}  // namespace vaarta::leads
