#pragma once
// ConsentRepository: the SQL of the consent ledger. Rows are found by number_hash (the
// keyed hash of the E.164 number), so that a withdrawal still counts after erasure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace vaarta::compliance {

// One consent as given: who (the number), for what purpose, through which process,
// after which notice, when, until when; and its withdrawal, if any.
struct Consent {
  int64_t id = 0;
  std::string number_hash;
  std::optional<std::string> phone_e164;  // nullopt once the number was erased
  std::string purpose;                    // "marketing_calls", ...
  std::string source;                     // "dlt_consent:<id>", "web_form", "recorded_call:<id>"
  std::string notice_version;
  std::string notice_language;  // "en", "hi", ...
  int64_t given_at = 0;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> withdrawn_at;
  std::optional<std::string> withdrawn_by;
  int64_t recorded_at = 0;
  std::string recorded_by;
  std::optional<int64_t> erased_at;
};

struct ConsentFilter {
  std::optional<std::string> number_hash;
  std::optional<std::string> purpose;
};

class ConsentRepository {
 public:
  Consent Insert(storage::Transaction& tx, const Consent& consent);
  std::optional<Consent> FindById(storage::Transaction& tx, int64_t id);
  // Every consent of the number for the purpose, newest first (a handful per number).
  std::vector<Consent> ForNumber(storage::Transaction& tx, const std::string& number_hash,
                                 const std::string& purpose);
  // Every consent for the purpose of any of the numbers (by hash), newest first.
  std::vector<Consent> ForNumbers(storage::Transaction& tx,
                                  const std::vector<std::string>& number_hashes,
                                  const std::string& purpose);
  // Newest first; before_id 0 starts at the newest.
  std::vector<Consent> List(storage::Transaction& tx, const ConsentFilter& filter,
                            int64_t before_id, int limit);
  // Marks every not yet withdrawn consent of the number for the purpose that was given
  // at or before `at` as withdrawn; returns how many.
  int64_t Withdraw(storage::Transaction& tx, const std::string& number_hash,
                   const std::string& purpose, int64_t at, const std::string& by);
  // Drops the plaintext number of every consent of the number; returns how many
  // consents still had it.
  int64_t Erase(storage::Transaction& tx, const std::string& number_hash, int64_t at);
};

}  // namespace vaarta::compliance
