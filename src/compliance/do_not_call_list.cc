#include "compliance/do_not_call_list.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <unordered_map>

namespace vaarta::compliance {
namespace {

core::Error Invalid(const std::string& message, const std::string& code) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message, code);
}

audit::AuditEntry Entry(const Actor& actor, const std::string& action, const std::string& target,
                        const nlohmann::json& summary) {
  return {actor.name, actor.role, actor.address,  action,
          target,     "success",  summary.dump(), actor.request_id};
}

core::Status ValidateSource(const std::string& source) {
  static const std::regex kSource("[a-z][a-z0-9_]{0,39}");
  if (!std::regex_match(source, kSource)) {
    return Invalid(
        "source must be a lower-case word of at most 40 letters, digits or '_' such as "
        "'api', 'agent_opt_out', 'import' or 'complaint'; got '" +
            source.substr(0, 60) + "'",
        "invalid_source");
  }
  return core::Ok{};
}

std::string Target(int64_t id) { return "dnc:" + std::to_string(id); }

}  // namespace

core::Status ValidateStoredText(std::string_view field, std::string_view text, size_t max_bytes) {
  std::string code = "invalid_" + std::string(field);
  if (text.size() > max_bytes) {
    return Invalid(std::string(field) + " is " + std::to_string(text.size()) +
                       " bytes long; at most " + std::to_string(max_bytes) + " are allowed",
                   code);
  }
  // Checked here rather than left to the database: PostgreSQL refuses invalid UTF-8 and
  // NUL as an infrastructure error, and control characters have no place in a reason.
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 0;
    bool valid =
        len > 0 && i + len <= text.size() && !(len == 2 && c < 0xC2) && !(len == 4 && c > 0xF4);
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) {
      return Invalid(
          std::string(field) + " is not valid UTF-8 (at byte " + std::to_string(i + 1) + ")", code);
    }
    if (len == 1 && (c < 0x20 || c == 0x7F)) {
      return Invalid(std::string(field) + " contains a control character (at byte " +
                         std::to_string(i + 1) + "); write it on one line",
                     code);
    }
    i += len;
  }
  return core::Ok{};
}

DoNotCallList::DoNotCallList(storage::Database& db, const core::Clock& clock,
                             audit::AuditLog& audit, SuppressionHasher hasher)
    : db_(db), clock_(clock), audit_(audit), hasher_(std::move(hasher)) {}

core::Status DoNotCallList::VerifyHashKey() {
  std::string mine = hasher_.KeyFingerprint();
  std::string stored = storage::InTransaction(db_, [&](storage::Transaction& tx) {
    return entries_.StoredKeyFingerprint(tx, "suppression_hash", mine, clock_.NowMillis());
  });
  if (stored != mine) {
    return core::MakeError(
        core::ErrorCode::kConflict,
        "the suppression hash key is not the one this database's do-not-call list and consent "
        "ledger were built with (key fingerprint " +
            mine.substr(0, 12) + ", database expects " + stored.substr(0, 12) +
            "): erased numbers would no longer be recognised and could be dialled. Configure "
            "the original key; every server sharing the database needs the same one",
        "suppression_key_changed");
  }
  return core::Ok{};
}

core::Result<DncAddResult> DoNotCallList::Add(const std::string& e164, const std::string& source,
                                              const std::string& reason, const Actor& actor) {
  auto tx = db_.Begin(true);
  auto result = Add(*tx, e164, source, reason, actor);
  if (result) tx->Commit();
  return result;
}

core::Result<DncAddResult> DoNotCallList::Add(storage::Transaction& tx, const std::string& e164,
                                              const std::string& source, const std::string& reason,
                                              const Actor& actor) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  if (auto ok = ValidateSource(source); !ok) return ok.error();
  if (auto ok = ValidateStoredText("reason", reason, kMaxReasonBytes); !ok) return ok.error();
  DncEntry entry;
  entry.number_hash = hasher_.Hash(e164);
  entry.phone_e164 = e164;
  entry.source = source;
  entry.reason = reason;
  entry.added_at = clock_.NowMillis();
  entry.added_by = actor.name;
  // Insert-or-read retries: under PostgreSQL's read committed, the active entry that
  // made the insert do nothing can be removed before it is read, and then the insert
  // succeeds on the next round.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (auto inserted = entries_.InsertIfAbsent(tx, entry)) {
      // The reason stays out of the audit record: it may quote the callee, and the audit
      // trail cannot be erased.
      audit_.Append(tx, Entry(actor, "dnc.add", Target(inserted->id), {{"source", source}}));
      return DncAddResult{*inserted, true};
    }
    if (auto existing = entries_.FindActive(tx, entry.number_hash)) {
      return DncAddResult{*existing, false};
    }
  }
  throw storage::DatabaseError(storage::DatabaseError::Kind::kBusy,
                               "a do-not-call entry kept changing while being added; retry");
}

core::Result<bool> DoNotCallList::IsSuppressed(const std::string& e164) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  return IsSuppressedByHash(hasher_.Hash(e164));
}

bool DoNotCallList::IsSuppressedByHash(const std::string& number_hash) {
  auto tx = db_.Begin(false);
  return entries_.FindActive(*tx, number_hash).has_value();
}

core::Result<std::optional<DncEntry>> DoNotCallList::Lookup(const std::string& e164) {
  auto tx = db_.Begin(false);
  return Lookup(*tx, e164);
}

core::Result<std::optional<DncEntry>> DoNotCallList::Lookup(storage::Transaction& tx,
                                                            const std::string& e164) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  return entries_.FindActive(tx, hasher_.Hash(e164));
}

core::Result<std::unordered_set<std::string>> DoNotCallList::IsSuppressedMany(
    const std::vector<std::string>& e164s) {
  auto tx = db_.Begin(false);
  return IsSuppressedMany(*tx, e164s);
}

core::Result<std::unordered_set<std::string>> DoNotCallList::IsSuppressedMany(
    storage::Transaction& tx, const std::vector<std::string>& e164s) {
  std::unordered_set<std::string> suppressed;
  if (e164s.empty()) return suppressed;
  for (size_t i = 0; i < e164s.size(); ++i) {
    if (auto ok = ValidateE164(e164s[i], "number " + std::to_string(i + 1)); !ok) {
      return ok.error();
    }
  }
  std::vector<std::string> hashes = hasher_.HashMany(e164s);
  // 1M imported numbers against a 100k list: reading the 100k hashes once (a few MB)
  // beats 2,000 queries of 500; 5k numbers against the same list: 10 queries beat
  // reading the list. Both cost about min(numbers, list) rows.
  if (static_cast<int64_t>(e164s.size()) > entries_.CountActive(tx)) {
    auto active = entries_.AllActiveHashes(tx);
    for (size_t i = 0; i < hashes.size(); ++i) {
      if (active.count(hashes[i])) suppressed.insert(e164s[i]);
    }
    return suppressed;
  }
  std::unordered_map<std::string, std::vector<size_t>> by_hash;
  by_hash.reserve(hashes.size());
  for (size_t i = 0; i < hashes.size(); ++i) by_hash[hashes[i]].push_back(i);
  std::vector<std::string> batch;
  batch.reserve(kLookupBatch);
  auto flush = [&] {
    for (const auto& hash : entries_.ActiveAmong(tx, batch)) {
      for (size_t i : by_hash[hash]) suppressed.insert(e164s[i]);
    }
    batch.clear();
  };
  for (const auto& [hash, indexes] : by_hash) {
    batch.push_back(hash);
    if (batch.size() == kLookupBatch) flush();
  }
  if (!batch.empty()) flush();
  return suppressed;
}

core::Result<DncEntry> DoNotCallList::Remove(const std::string& e164, const std::string& reason,
                                             const Actor& actor) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  auto tx = db_.Begin(true);
  auto entry = entries_.FindActive(*tx, hasher_.Hash(e164));
  if (!entry) {
    return core::MakeError(core::ErrorCode::kNotFound, "this number is not on the do-not-call list",
                           "dnc_not_found");
  }
  auto removed = RemoveEntry(*tx, *entry, reason, actor);
  if (removed) tx->Commit();
  return removed;
}

core::Result<DncEntry> DoNotCallList::RemoveById(int64_t id, const std::string& reason,
                                                 const Actor& actor) {
  auto tx = db_.Begin(true);
  auto entry = entries_.FindById(*tx, id);
  if (!entry) {
    return core::MakeError(core::ErrorCode::kNotFound,
                           "no do-not-call entry with id " + std::to_string(id), "dnc_not_found");
  }
  auto removed = RemoveEntry(*tx, *entry, reason, actor);
  if (removed) tx->Commit();
  return removed;
}

core::Result<DncEntry> DoNotCallList::RemoveEntry(storage::Transaction& tx, const DncEntry& entry,
                                                  const std::string& reason, const Actor& actor) {
  if (actor.role != "admin") {
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           "only an admin may take a number off the do-not-call list",
                           "admin_required");
  }
  if (reason.find_first_not_of(" \t") == std::string::npos) {
    return Invalid(
        "say why the number may be called again (for example \"customer asked to be called back, "
        "ticket 4411\"): a reason is required",
        "missing_reason");
  }
  if (auto ok = ValidateStoredText("reason", reason, kMaxReasonBytes); !ok) return ok.error();
  if (!entry.active()) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "do-not-call entry " + std::to_string(entry.id) + " was already removed",
                           "dnc_already_removed");
  }
  int64_t now = clock_.NowMillis();
  if (!entries_.MarkRemoved(tx, entry.id, now, actor.name, reason)) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "do-not-call entry " + std::to_string(entry.id) + " was already removed",
                           "dnc_already_removed");
  }
  // The removal reason is the admin's justification, and the audit trail is where it
  // must survive; it is expected not to repeat the number.
  audit_.Append(tx, Entry(actor, "dnc.remove", Target(entry.id),
                          {{"reason", reason},
                           {"source", entry.source},
                           {"added_at", core::FormatIso8601Utc(entry.added_at)}}));
  DncEntry removed = entry;
  removed.removed_at = now;
  removed.removed_by = actor.name;
  removed.removal_reason = reason;
  return removed;
}

core::Result<std::vector<DncEntry>> DoNotCallList::List(const DncListFilter& filter,
                                                        int64_t before_id, int limit) {
  if (limit < 1 || limit > 1000) {
    return Invalid("limit must be from 1 to 1000", "invalid_limit");
  }
  if (filter.number_prefix) {
    static const std::regex kPrefix(R"(\+[0-9]{0,15})");
    if (!std::regex_match(*filter.number_prefix, kPrefix)) {
      return Invalid("a number prefix is '+' and up to 15 digits, like +9198; got '" +
                         filter.number_prefix->substr(0, 40) + "'",
                     "invalid_prefix");
    }
  }
  auto tx = db_.Begin(false);
  return entries_.List(*tx, filter, before_id, limit);
}

core::Result<DncEntry> DoNotCallList::Get(int64_t id) {
  auto tx = db_.Begin(false);
  auto entry = entries_.FindById(*tx, id);
  if (!entry) {
    return core::MakeError(core::ErrorCode::kNotFound,
                           "no do-not-call entry with id " + std::to_string(id), "dnc_not_found");
  }
  return *entry;
}

core::Result<std::vector<DncEntry>> DoNotCallList::History(const std::string& e164) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  auto tx = db_.Begin(false);
  return entries_.History(*tx, hasher_.Hash(e164));
}

ErasureCounts DoNotCallList::EraseNumber(storage::Transaction& tx, const std::string& e164,
                                         const Actor& actor) {
  std::string hash = hasher_.Hash(e164);
  int64_t now = clock_.NowMillis();
  ErasureCounts counts;
  counts.dnc_entries = entries_.Erase(tx, hash, now);
  counts.consents = consents_.Erase(tx, hash, now);
  if (counts.dnc_entries + counts.consents > 0) {
    audit_.Append(tx, Entry(actor, "compliance.erase", "number_hash:" + hash.substr(0, 16),
                            {{"dnc_entries", counts.dnc_entries}, {"consents", counts.consents}}));
  }
  return counts;
}

}  // namespace vaarta::compliance
