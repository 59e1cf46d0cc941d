#include "leads/lead_search_index.h"

#include <algorithm>
#include <limits>

#include "storage/id_list.h"

namespace vaarta::leads {
namespace {

using storage::Int;
using storage::Text;

bool IsSqlite(const storage::Transaction& tx) { return tx.dialect() == storage::Dialect::kSqlite; }

// The text split into characters (UTF-8 sequences).
std::vector<std::string> Characters(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    size_t len = byte < 0x80 ? 1 : byte >> 5 == 0x6 ? 2 : byte >> 4 == 0xE ? 3 : 4;
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string EscapeLikePattern(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

void QueueForSearch(storage::Transaction& tx, const std::vector<int64_t>& lead_ids) {
  std::vector<std::vector<storage::Value>> rows;
  rows.reserve(lead_ids.size());
  for (int64_t id : lead_ids) rows.push_back({Int(id)});
  tx.InsertRows("lead_search_pending", {"lead_id"}, rows);
}

void RequeueForSearch(storage::Transaction& tx, int64_t lead_id) {
  if (IsSqlite(tx)) {
    // Writers take turns on SQLite, so a lead that is not queued is in the index with
    // its current text (or not at all when the text is empty). A contentless FTS5
    // table forgets a row given the text it was indexed with.
    bool queued =
        !tx.Execute("SELECT 1 FROM lead_search_pending WHERE lead_id = $1", {Int(lead_id)})
             .rows.empty();
    if (!queued) {
      auto rows = tx.Execute("SELECT search_text FROM leads WHERE id = $1", {Int(lead_id)}).rows;
      if (!rows.empty() && !rows[0].GetText(0).empty()) {
        tx.Execute("INSERT INTO lead_search (lead_search, rowid, text) VALUES ('delete', $1, $2)",
                   {Int(lead_id), Text(rows[0].GetText(0))});
      }
    }
  } else {
    // Lock the lead first: a worker indexing it now holds that lock, so this waits
    // until the worker's (old) text has landed and its queue row is gone; a worker
    // coming later skips the locked lead. Either way the lead is queued again below,
    // and its old text removed, when this transaction commits.
    tx.Execute("SELECT 1 FROM leads WHERE id = $1 FOR UPDATE", {Int(lead_id)});
  }
  tx.Execute(
      "INSERT INTO lead_search_pending (lead_id) VALUES ($1) ON CONFLICT (lead_id) DO NOTHING",
      {Int(lead_id)});
  if (!IsSqlite(tx)) tx.Execute("DELETE FROM lead_search WHERE lead_id = $1", {Int(lead_id)});
}

bool SearchQueueEmpty(storage::Transaction& tx) {
  return tx.Execute("SELECT 1 FROM lead_search_pending LIMIT 1").rows.empty();
}

int64_t IndexQueuedLeads(storage::Database& db, int64_t max_leads) {
  auto tx = db.Begin(true);
  // On PostgreSQL the worker locks the queue rows and the leads it reads: a lead being
  // edited (RequeueForSearch locked it) is skipped and stays queued, and an edit that
  // comes second waits for this transaction, then queues the lead again. Two workers
  // (two servers) take different leads.
  std::string sql =
      IsSqlite(*tx)
          ? "SELECT p.lead_id, COALESCE(l.search_text, ''), l.erased_at FROM "
            "lead_search_pending p LEFT JOIN leads l ON l.id = p.lead_id ORDER BY p.lead_id "
            "LIMIT $1"
          : "SELECT p.lead_id, l.search_text, l.erased_at FROM lead_search_pending p JOIN leads "
            "l ON l.id = p.lead_id ORDER BY p.lead_id LIMIT $1 FOR UPDATE OF p, l SKIP LOCKED";
  auto rows = tx->Execute(sql, {Int(max_leads)}).rows;
  if (!IsSqlite(*tx) && static_cast<int64_t>(rows.size()) < max_leads) {
    // Queued ids without a lead (the inner join above never sees them) would keep the
    // queue from ever being empty.
    tx->Execute(
        "DELETE FROM lead_search_pending p WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = "
        "p.lead_id)");
  }
  if (rows.empty()) {
    tx->Commit();
    return 0;
  }
  std::vector<int64_t> ids;
  std::vector<std::vector<storage::Value>> entries;
  for (const auto& r : rows) {
    ids.push_back(r.GetInt(0));
    std::string text = r.GetText(1);
    if (!text.empty() && !r.GetOptInt(2)) entries.push_back({Int(r.GetInt(0)), Text(text)});
  }
  const storage::Dialect dialect = tx->dialect();
  if (IsSqlite(*tx)) {
    tx->InsertRows("lead_search", {"rowid", "text"}, entries);
  } else {
    // A lead queued again while indexed has an old entry: replace it.
    tx->Execute("DELETE FROM lead_search WHERE " + storage::AnyOfIds(dialect, "lead_id", "$1"),
                {storage::IdsValue(dialect, ids)});
    tx->InsertRows("lead_search", {"lead_id", "text"}, entries);
  }
  tx->Execute(
      "DELETE FROM lead_search_pending WHERE " + storage::AnyOfIds(dialect, "lead_id", "$1"),
      {storage::IdsValue(dialect, ids)});
  tx->Commit();
  return static_cast<int64_t>(ids.size());
}

bool SearchIndexCanAnswer(const std::string& folded) { return Characters(folded).size() >= 3; }

std::vector<int64_t> SearchCandidates(storage::Transaction& tx, const std::string& folded,
                                      int64_t before_id, int limit) {
  int64_t below = before_id > 0 ? before_id : std::numeric_limits<int64_t>::max();
  std::vector<int64_t> ids;
  storage::QueryResult result;
  if (IsSqlite(tx)) {
    // Every trigram of the text, each a quoted FTS5 string ("" escapes a quote).
    auto chars = Characters(folded);
    std::string match;
    for (size_t i = 0; i + 3 <= chars.size(); ++i) {
      std::string gram = chars[i] + chars[i + 1] + chars[i + 2];
      std::string quoted = "\"";
      for (char c : gram) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      match += (match.empty() ? "" : " AND ") + quoted + "\"";
    }
    result = tx.Execute(
        "SELECT rowid FROM lead_search WHERE lead_search MATCH $1 AND rowid < $2 ORDER BY rowid "
        "DESC LIMIT $3",
        {Text(match), Int(below), Int(limit)});
  } else {
    result = tx.Execute(
        "SELECT lead_id FROM lead_search WHERE text LIKE $1 ESCAPE '\\' AND lead_id < $2 ORDER "
        "BY lead_id DESC LIMIT $3",
        {Text("%" + EscapeLikePattern(folded) + "%"), Int(below), Int(limit)});
  }
  ids.reserve(result.rows.size());
  for (const auto& r : result.rows) ids.push_back(r.GetInt(0));
  return ids;
}

}  // namespace vaarta::leads
