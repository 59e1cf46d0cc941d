#pragma once
// ConsentLedger: consent per number and purpose (DPDP): where it came from, which
// notice (version and language) the person saw, when it was given, until when, and its
// withdrawal. Withdrawing is as easy as giving (no reason asked). After a withdrawal the
// business may not ask again for `reask_lock_days` (90 by default).
//
// The re-ask lock applies to asking, not to consent the person gives on their own: a
// new consent inside the lock is refused ("reask_locked") unless its source is the
// person's own action: "dlt_consent:<id>" (consent registered on the DLT platform) or
// "web_form" / "web_form:<form>". Consent taken in a call ("recorded_call:<id>") is the result
// of asking, so it is refused until the lock ends.
//
// Rows are found by the keyed hash of the number, so withdrawals keep locking re-asking
// after the lead's erasure. Every change appends its audit record in the same
// transaction; audit records never contain the phone number.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/audit_log.h"
#include "compliance/consent_repository.h"
#include "compliance/do_not_call_list.h"
#include "compliance/suppression_hash.h"
#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"

namespace vaarta::compliance {

struct ConsentLedgerOptions {
  // Days after a withdrawal before the business may ask again; 0 disables the lock.
  int reask_lock_days = 90;
};

struct NewConsent {
  std::string phone_e164;
  std::string purpose;          // lower-case word: "marketing_calls", "service_calls", ...
  std::string source;           // "dlt_consent:<id>", "web_form[:<form>]", "recorded_call:<id>"
  std::string notice_version;   // e.g. "2026-11"
  std::string notice_language;  // "en", "hi", "ta", "pt-BR", ...
  int64_t given_at = 0;         // Unix ms; not in the future
  std::optional<int64_t> expires_at;
};

enum class ConsentStatus { kNone, kActive, kExpired, kWithdrawn };
std::string_view ConsentStatusName(ConsentStatus status);  // "none", "active", ...

struct ConsentState {
  ConsentStatus status = ConsentStatus::kNone;
  // The consent the status is about: the active one that lasts longest, the newest
  // expired one, or the newest withdrawn one.
  std::optional<Consent> consent;
  std::optional<int64_t> withdrawn_at;  // set when status is kWithdrawn
};

struct ReaskCheck {
  bool allowed = true;
  std::optional<int64_t> withdrawn_at;  // the withdrawal that locks (or locked) asking
  std::optional<int64_t> allowed_from;  // when asking becomes allowed; set with withdrawn_at
};

struct WithdrawalResult {
  int64_t at = 0;         // when consent was withdrawn (earlier one if already withdrawn)
  int64_t withdrawn = 0;  // consents withdrawn now; 0 when already withdrawn before
  int64_t ask_again_from = 0;
};

class ConsentLedger {
 public:
  // Throws std::invalid_argument for a negative lock.
  ConsentLedger(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
                SuppressionHasher hasher, ConsentLedgerOptions options = {});

  // Records a consent and returns it (with its id). kInvalidArgument names the bad
  // field; kConflict "reask_locked" says from which date asking is allowed again.
  core::Result<Consent> Record(const NewConsent& consent, const Actor& actor);
  // Withdraws every consent of the number for the purpose given at or before `at`.
  // Idempotent: withdrawing again reports the earlier withdrawal and changes nothing.
  // kNotFound "no_consent" when nothing was ever consented.
  core::Result<WithdrawalResult> Withdraw(const std::string& e164, const std::string& purpose,
                                          const Actor& actor, int64_t at);
  // The state as of `now` (rows given or withdrawn after `now` do not count).
  core::Result<ConsentState> Current(const std::string& e164, const std::string& purpose,
                                     int64_t now);
  // The status of each number for the purpose as of `now`, read in one query inside the
  // caller's transaction (the dialer's batch). kInvalidArgument names a malformed number.
  core::Result<std::unordered_map<std::string, ConsentStatus>> StatusMany(
      storage::Transaction& tx, const std::vector<std::string>& e164s, const std::string& purpose,
      int64_t now);
  // False within reask_lock_days after the latest withdrawal, unless the person has
  // consented again since; allowed_from says when it becomes true.
  core::Result<ReaskCheck> CanAskAgain(const std::string& e164, const std::string& purpose,
                                       int64_t now);
  // Newest first; one number's consents or everyone's, optionally for one purpose.
  // before_id 0 starts at the newest; limit 1..1000.
  core::Result<std::vector<Consent>> List(const std::optional<std::string>& e164,
                                          const std::optional<std::string>& purpose,
                                          int64_t before_id, int limit);

  // Sources that are the person's own action, exempt from the re-ask lock.
  static bool IsOwnActionSource(const std::string& source);
  static core::Status ValidatePurpose(const std::string& purpose);
  int reask_lock_days() const { return options_.reask_lock_days; }

 private:
  ReaskCheck Reask(const std::vector<Consent>& rows, int64_t now) const;

  storage::Database& db_;
  const core::Clock& clock_;
  audit::AuditLog& audit_;
  SuppressionHasher hasher_;
  ConsentLedgerOptions options_;
  ConsentRepository consents_;
};

}  // namespace vaarta::compliance
