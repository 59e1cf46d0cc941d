#include "compliance/consent_ledger.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

namespace vaarta::compliance {
namespace {

constexpr int64_t kDayMillis = 86'400'000;
// Times a client states (given_at, a withdrawal's time) may run this far ahead of the
// server's clock before they count as "in the future".
constexpr int64_t kClockSkewMillis = 5 * 60'000;

core::Error Invalid(const std::string& message, const std::string& code) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message, code);
}

audit::AuditEntry Entry(const Actor& actor, const std::string& action, const std::string& target,
                        const nlohmann::json& summary) {
  return {actor.name, actor.role, actor.address,  action,
          target,     "success",  summary.dump(), actor.request_id};
}

nlohmann::json OptTime(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(core::FormatIso8601Utc(*t)) : nlohmann::json();
}

core::Status ValidateSource(const std::string& source) {
  static const std::regex kSource("([a-z][a-z0-9_]{0,39})(:[!-~]{1,160})?");
  std::smatch m;
  if (!std::regex_match(source, m, kSource)) {
    return Invalid(
        "source must be a process name with an optional ':<reference>' (no spaces), such as "
        "'dlt_consent:<DLT consent id>', 'web_form' or 'recorded_call:<call id>'; got '" +
            source.substr(0, 60) + "'",
        "invalid_source");
  }
  std::string kind = m[1];
  if ((kind == "dlt_consent" || kind == "recorded_call") && !m[2].matched) {
    return Invalid("source '" + kind + "' needs its reference: '" + kind + ":<" +
                       (kind == "dlt_consent" ? "DLT consent id" : "call id") + ">'",
                   "invalid_source");
  }
  return core::Ok{};
}

core::Status ValidateNotice(const NewConsent& c) {
  static const std::regex kVersion("[!-~]{1,50}");
  if (!std::regex_match(c.notice_version, kVersion)) {
    return Invalid(
        "notice_version must name the version of the notice the person was shown, 1 to 50 "
        "characters without spaces (e.g. '2026-11'); got '" +
            c.notice_version.substr(0, 60) + "'",
        "invalid_notice_version");
  }
  static const std::regex kLanguage("[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
  if (!std::regex_match(c.notice_language, kLanguage)) {
    return Invalid(
        "notice_language must be the language code of the notice (ISO 639, e.g. 'en', 'hi', "
        "'ta', optionally with a region such as 'en-IN'); got '" +
            c.notice_language.substr(0, 40) + "'",
        "invalid_notice_language");
  }
  return core::Ok{};
}

bool WithdrawnAsOf(const Consent& c, int64_t t) { return c.withdrawn_at && *c.withdrawn_at <= t; }

}  // namespace

std::string_view ConsentStatusName(ConsentStatus status) {
  switch (status) {
    case ConsentStatus::kNone:
      return "none";
    case ConsentStatus::kActive:
      return "active";
    case ConsentStatus::kExpired:
      return "expired";
    case ConsentStatus::kWithdrawn:
      return "withdrawn";
  }
  return "none";
}

ConsentLedger::ConsentLedger(storage::Database& db, const core::Clock& clock,
                             audit::AuditLog& audit, SuppressionHasher hasher,
                             ConsentLedgerOptions options)
    : db_(db), clock_(clock), audit_(audit), hasher_(std::move(hasher)), options_(options) {
  if (options_.reask_lock_days < 0) {
    throw std::invalid_argument("reask_lock_days must not be negative");
  }
}

bool ConsentLedger::IsOwnActionSource(const std::string& source) {
  return source.rfind("dlt_consent:", 0) == 0 || source == "web_form" ||
         source.rfind("web_form:", 0) == 0;
}

core::Status ConsentLedger::ValidatePurpose(const std::string& purpose) {
  static const std::regex kPurpose("[a-z][a-z0-9_]{0,63}");
  if (!std::regex_match(purpose, kPurpose)) {
    return Invalid(
        "purpose must be a lower-case word of letters, digits and '_' (at most 64), "
        "such as 'marketing_calls'; got '" +
            purpose.substr(0, 70) + "'",
        "invalid_purpose");
  }
  return core::Ok{};
}

ReaskCheck ConsentLedger::Reask(const std::vector<Consent>& rows, int64_t now) const {
  ReaskCheck check;
  for (const auto& c : rows) {
    if (WithdrawnAsOf(c, now) && (!check.withdrawn_at || *c.withdrawn_at > *check.withdrawn_at)) {
      check.withdrawn_at = c.withdrawn_at;
    }
  }
  if (!check.withdrawn_at) return check;
  check.allowed_from = *check.withdrawn_at + options_.reask_lock_days * kDayMillis;
  check.allowed = now >= *check.allowed_from;
  // A consent the person gave since the withdrawal (on their own, or after the lock)
  // ends the lock: asking under a live consent is not re-asking.
  for (const auto& c : rows) {
    if (c.given_at > *check.withdrawn_at && c.given_at <= now && !WithdrawnAsOf(c, now)) {
      check.allowed = true;
    }
  }
  return check;
}

core::Result<Consent> ConsentLedger::Record(const NewConsent& in, const Actor& actor) {
  if (auto ok = ValidateE164(in.phone_e164); !ok) return ok.error();
  if (auto ok = ValidatePurpose(in.purpose); !ok) return ok.error();
  if (auto ok = ValidateSource(in.source); !ok) return ok.error();
  if (auto ok = ValidateNotice(in); !ok) return ok.error();
  int64_t now = clock_.NowMillis();
  if (in.given_at <= 0) return Invalid("given_at is required", "invalid_given_at");
  if (in.given_at > now + kClockSkewMillis) {
    return Invalid("given_at " + core::FormatIso8601Utc(in.given_at) +
                       " is in the future; record a consent once it has been given",
                   "invalid_given_at");
  }
  if (in.expires_at && *in.expires_at <= in.given_at) {
    return Invalid("expires_at " + core::FormatIso8601Utc(*in.expires_at) +
                       " must be after given_at " + core::FormatIso8601Utc(in.given_at),
                   "invalid_expires_at");
  }
  Consent consent;
  consent.number_hash = hasher_.Hash(in.phone_e164);
  consent.phone_e164 = in.phone_e164;
  consent.purpose = in.purpose;
  consent.source = in.source;
  consent.notice_version = in.notice_version;
  consent.notice_language = in.notice_language;
  consent.given_at = in.given_at;
  consent.expires_at = in.expires_at;
  consent.recorded_at = now;
  consent.recorded_by = actor.name;

  auto tx = db_.Begin(true);
  auto rows = consents_.ForNumber(*tx, consent.number_hash, in.purpose);
  for (const auto& c : rows) {
    // A consent that predates a recorded withdrawal was covered by it; storing it as
    // live would undo the withdrawal.
    if (c.withdrawn_at && *c.withdrawn_at >= in.given_at) {
      return core::MakeError(core::ErrorCode::kConflict,
                             "this number withdrew its " + in.purpose + " consent at " +
                                 core::FormatIso8601Utc(*c.withdrawn_at) +
                                 ", after this consent was given (" +
                                 core::FormatIso8601Utc(in.given_at) +
                                 "); only a consent given after the withdrawal can be recorded",
                             "withdrawn_later");
    }
  }
  ReaskCheck lock = Reask(rows, in.given_at);
  if (!lock.allowed && !IsOwnActionSource(in.source)) {
    return core::MakeError(
        core::ErrorCode::kConflict,
        "this number withdrew its " + in.purpose + " consent on " +
            core::FormatIso8601Utc(*lock.withdrawn_at) + "; the business may not ask again until " +
            core::FormatIso8601Utc(*lock.allowed_from) + " (" +
            std::to_string(options_.reask_lock_days) +
            " days later). Consent the person gives on their own (source 'dlt_consent:<id>' or "
            "'web_form') is accepted at any time",
        "reask_locked");
  }
  Consent stored = consents_.Insert(*tx, consent);
  audit_.Append(*tx, Entry(actor, "consent.record", "consent:" + std::to_string(stored.id),
                           {{"purpose", stored.purpose},
                            {"source", stored.source},
                            {"notice_version", stored.notice_version},
                            {"notice_language", stored.notice_language},
                            {"given_at", core::FormatIso8601Utc(stored.given_at)},
                            {"expires_at", OptTime(stored.expires_at)}}));
  tx->Commit();
  return stored;
}

core::Result<WithdrawalResult> ConsentLedger::Withdraw(const std::string& e164,
                                                       const std::string& purpose,
                                                       const Actor& actor, int64_t at) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  if (auto ok = ValidatePurpose(purpose); !ok) return ok.error();
  if (at <= 0 || at > clock_.NowMillis() + kClockSkewMillis) {
    return Invalid("the time of withdrawal must not be in the future", "invalid_withdrawn_at");
  }
  int64_t lock = options_.reask_lock_days * kDayMillis;
  std::string hash = hasher_.Hash(e164);
  auto tx = db_.Begin(true);
  auto rows = consents_.ForNumber(*tx, hash, purpose);
  std::vector<int64_t> ids;
  for (const auto& c : rows) {
    if (!c.withdrawn_at && c.given_at <= at) ids.push_back(c.id);
  }
  if (ids.empty()) {
    std::optional<int64_t> earlier;
    for (const auto& c : rows) {
      if (c.withdrawn_at && (!earlier || *c.withdrawn_at > *earlier)) earlier = c.withdrawn_at;
    }
    if (earlier) return WithdrawalResult{*earlier, 0, *earlier + lock};
    return core::MakeError(core::ErrorCode::kNotFound,
                           "this number has no " + purpose + " consent on record" +
                               (rows.empty() ? "" : " given before the time of withdrawal") +
                               "; to stop every call to it, add it to the do-not-call list",
                           "no_consent");
  }
  int64_t withdrawn = consents_.Withdraw(*tx, hash, purpose, at, actor.name);
  audit_.Append(
      *tx, Entry(actor, "consent.withdraw", "consent:" + std::to_string(ids.front()),
                 {{"purpose", purpose}, {"consents", ids}, {"at", core::FormatIso8601Utc(at)}}));
  tx->Commit();
  return WithdrawalResult{at, withdrawn, at + lock};
}

namespace {

// The state of one number from its consents (newest first) as of `now`.
ConsentState StateOf(const std::vector<const Consent*>& rows, int64_t now) {
  ConsentState state;
  const Consent* active = nullptr;
  const Consent* expired = nullptr;
  const Consent* withdrawn = nullptr;
  for (const Consent* p : rows) {  // newest first
    const Consent& c = *p;
    if (c.given_at > now) continue;
    if (WithdrawnAsOf(c, now)) {
      if (!withdrawn || *c.withdrawn_at > *withdrawn->withdrawn_at) withdrawn = &c;
    } else if (!c.expires_at || *c.expires_at > now) {
      // The one that lasts longest; no expiry lasts longest of all.
      if (!active || (active->expires_at && (!c.expires_at || *c.expires_at > *active->expires_at)))
        active = &c;
    } else if (!expired) {
      expired = &c;
    }
  }
  if (active) {
    state.status = ConsentStatus::kActive;
    state.consent = *active;
  } else if (expired) {
    state.status = ConsentStatus::kExpired;
    state.consent = *expired;
  } else if (withdrawn) {
    state.status = ConsentStatus::kWithdrawn;
    state.consent = *withdrawn;
    state.withdrawn_at = withdrawn->withdrawn_at;
  }
  return state;
}

}  // namespace

core::Result<ConsentState> ConsentLedger::Current(const std::string& e164,
                                                  const std::string& purpose, int64_t now) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  if (auto ok = ValidatePurpose(purpose); !ok) return ok.error();
  auto tx = db_.Begin(false);
  auto rows = consents_.ForNumber(*tx, hasher_.Hash(e164), purpose);
  std::vector<const Consent*> refs;
  for (const auto& c : rows) refs.push_back(&c);
  return StateOf(refs, now);
}

core::Result<std::unordered_map<std::string, ConsentStatus>> ConsentLedger::StatusMany(
    storage::Transaction& tx, const std::vector<std::string>& e164s, const std::string& purpose,
    int64_t now) {
  if (auto ok = ValidatePurpose(purpose); !ok) return ok.error();
  std::unordered_map<std::string, std::string> number_of_hash;
  std::vector<std::string> hashes;
  for (const auto& e164 : e164s) {
    if (auto ok = ValidateE164(e164); !ok) return ok.error();
    std::string hash = hasher_.Hash(e164);
    if (number_of_hash.emplace(hash, e164).second) hashes.push_back(std::move(hash));
  }
  std::unordered_map<std::string, ConsentStatus> out;
  for (const auto& e164 : e164s) out[e164] = ConsentStatus::kNone;
  if (hashes.empty()) return out;
  auto rows = consents_.ForNumbers(tx, hashes, purpose);
  std::unordered_map<std::string, std::vector<const Consent*>> by_hash;
  for (const auto& c : rows) by_hash[c.number_hash].push_back(&c);
  for (const auto& [hash, list] : by_hash) out[number_of_hash[hash]] = StateOf(list, now).status;
  return out;
}

core::Result<ReaskCheck> ConsentLedger::CanAskAgain(const std::string& e164,
                                                    const std::string& purpose, int64_t now) {
  if (auto ok = ValidateE164(e164); !ok) return ok.error();
  if (auto ok = ValidatePurpose(purpose); !ok) return ok.error();
  auto tx = db_.Begin(false);
  return Reask(consents_.ForNumber(*tx, hasher_.Hash(e164), purpose), now);
}

core::Result<std::vector<Consent>> ConsentLedger::List(const std::optional<std::string>& e164,
                                                       const std::optional<std::string>& purpose,
                                                       int64_t before_id, int limit) {
  if (limit < 1 || limit > 1000) return Invalid("limit must be from 1 to 1000", "invalid_limit");
  ConsentFilter filter;
  if (e164) {
    if (auto ok = ValidateE164(*e164); !ok) return ok.error();
    filter.number_hash = hasher_.Hash(*e164);
  }
  if (purpose) {
    if (auto ok = ValidatePurpose(*purpose); !ok) return ok.error();
    filter.purpose = *purpose;
  }
  auto tx = db_.Begin(false);
  return consents_.List(*tx, filter, before_id, limit);
}

}  // namespace vaarta::compliance
