#pragma once
// DoNotCallList: the business's own suppression list. A number on it is never dialled
// again by any campaign. Entries come from the API, from the agent when a callee opts
// out, from imports and complaints; only an admin removes one, with a reason, and the
// entry stays as history. Lookups go through the keyed hash of the number, so an entry
// keeps working after the lead's erasure has removed the plaintext (DPDP).
// Every change appends its audit record in the same transaction; audit records name
// entries by id and never contain the phone number, because the audit trail cannot be
// erased.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "audit/audit_log.h"
#include "compliance/consent_repository.h"
#include "compliance/do_not_call_repository.h"
#include "compliance/suppression_hash.h"
#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"

namespace vaarta::compliance {

// Who acts, for audit records (the same fields as leads::Actor).
struct Actor {
  std::string name;  // "user:3:a@b.in", "apikey:2:crm", "agent:call:812", "system"
  std::string role;  // "admin", "manager", "agent", "" for the system
  std::string address;
  std::string request_id;
};

// Checks free text that is stored (reasons): at most `max_bytes`, valid UTF-8, no
// control characters. detail_code "invalid_<field>".
core::Status ValidateStoredText(std::string_view field, std::string_view text, size_t max_bytes);

struct DncAddResult {
  DncEntry entry;
  bool created = false;  // false: the number already had an active entry, returned as is
};

struct ErasureCounts {
  int64_t dnc_entries = 0;
  int64_t consents = 0;
};

class DoNotCallList {
 public:
  static constexpr size_t kMaxReasonBytes = 500;
  // IsSuppressedMany asks the database about at most this many hashes per query.
  static constexpr size_t kLookupBatch = 500;

  DoNotCallList(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
                SuppressionHasher hasher);

  // Stores the hash key's fingerprint on first use and afterwards compares it: a changed
  // key would silently stop every hashed entry from matching and suppressed people would
  // be called. Call at start-up and refuse to serve on error (kConflict
  // "suppression_key_changed").
  core::Status VerifyHashKey();

  // Adds the number, or returns its active entry unchanged (idempotent; no audit record
  // then). `source`: a lower-case word such as "api", "agent_opt_out", "import",
  // "complaint". `reason` may be empty. The own-transaction form commits at once; the
  // other runs inside the caller's write transaction (e.g. the call that heard the
  // opt-out), and the entry commits with it.
  core::Result<DncAddResult> Add(const std::string& e164, const std::string& source,
                                 const std::string& reason, const Actor& actor);
  core::Result<DncAddResult> Add(storage::Transaction& tx, const std::string& e164,
                                 const std::string& source, const std::string& reason,
                                 const Actor& actor);

  // Whether the number has an active entry. kInvalidArgument for a malformed number:
  // the caller must not dial it either way.
  core::Result<bool> IsSuppressed(const std::string& e164);
  bool IsSuppressedByHash(const std::string& number_hash);
  // The active entry of the number, if any (the agent's "check" view).
  core::Result<std::optional<DncEntry>> Lookup(const std::string& e164);
  core::Result<std::optional<DncEntry>> Lookup(storage::Transaction& tx, const std::string& e164);

  // Which of the numbers are suppressed (a subset of the input). For imports: when there
  // are more numbers than active entries it reads all active hashes once into memory,
  // otherwise it asks for kLookupBatch hashes per query, so either way the work is about
  // min(numbers, list size) rows. kInvalidArgument names the first malformed number.
  core::Result<std::unordered_set<std::string>> IsSuppressedMany(
      const std::vector<std::string>& e164s);
  core::Result<std::unordered_set<std::string>> IsSuppressedMany(
      storage::Transaction& tx, const std::vector<std::string>& e164s);

  // Soft-removes the active entry: admin only (kPermissionDenied "admin_required"), with
  // a non-empty reason (kInvalidArgument "missing_reason"), audited with the reason.
  // kNotFound "dnc_not_found" when the number has no active entry / no such id;
  // kConflict "dnc_already_removed" for an entry that was removed before.
  core::Result<DncEntry> Remove(const std::string& e164, const std::string& reason,
                                const Actor& actor);
  core::Result<DncEntry> RemoveById(int64_t id, const std::string& reason, const Actor& actor);

  // Newest first, active entries only unless include_removed; number_prefix is '+' and
  // up to 15 digits (kInvalidArgument "invalid_prefix" otherwise). before_id 0 starts
  // at the newest; limit 1..1000.
  core::Result<std::vector<DncEntry>> List(const DncListFilter& filter, int64_t before_id,
                                           int limit);
  core::Result<DncEntry> Get(int64_t id);
  // Every entry the number ever had, newest first (found by hash, so erased ones too).
  core::Result<std::vector<DncEntry>> History(const std::string& e164);

  // DPDP erasure of one number, inside the erasing transaction: nulls the plaintext
  // number and free text in its do-not-call entries and consents, keeps the hashes (so
  // it stays suppressed and its withdrawals still lock re-asking), and appends one
  // "compliance.erase" audit record when anything was erased. Never fails on input: a
  // malformed number simply matches nothing. Fits leads::ErasureHook.
  ErasureCounts EraseNumber(storage::Transaction& tx, const std::string& e164,
                            const Actor& actor = {"system", "", "", ""});

  const SuppressionHasher& hasher() const { return hasher_; }

 private:
  core::Result<DncEntry> RemoveEntry(storage::Transaction& tx, const DncEntry& entry,
                                     const std::string& reason, const Actor& actor);

  storage::Database& db_;
  const core::Clock& clock_;
  audit::AuditLog& audit_;
  SuppressionHasher hasher_;
  DoNotCallRepository entries_;
  ConsentRepository consents_;
};

}  // namespace vaarta::compliance
