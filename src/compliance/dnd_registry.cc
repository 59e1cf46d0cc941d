#include "compliance/dnd_registry.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vaarta::compliance {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// "+91" and 10 digits: the registry's number, or nullopt for any other number.
std::optional<uint64_t> IndianNational(const std::string& e164) {
  if (e164.size() != 13 || e164.compare(0, 3, "+91") != 0) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 3; i < e164.size(); ++i) {
    if (e164[i] < '0' || e164[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(e164[i] - '0');
  }
  return value;
}

std::string ModeList(const DndPreference& pref) {
  std::string out;
  for (int m = 0; m < kDndModeCount; ++m) {
    if (!pref.BlocksMode(static_cast<DndMode>(m))) continue;
    if (!out.empty()) out += ", ";
    out += DndModeName(static_cast<DndMode>(m));
  }
  return out;
}

// Whether the preference blocks calls made this way. The AI agent counts as an
// auto-dialer / robo call, and, failing closed, any blocked mode stops it.
bool BlocksCallMode(const DndPreference& pref, DndCallMode mode) {
  if (mode == DndCallMode::kAiAgent) return pref.modes() != 0;
  return pref.BlocksMode(static_cast<DndMode>(mode));
}

// Holds an exclusive lock on a file for one load at a time across processes.
class LoadLock {
 public:
  explicit LoadLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -2;
    }
  }
  ~LoadLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  bool held() const { return fd_ >= 0; }
  bool busy() const { return fd_ == -2; }

 private:
  int fd_ = -1;
};

nlohmann::json LoadRowJson(const storage::Row& r) {
  return {{"id", r.GetInt(0)},
          {"registry_date", r.GetText(1)},
          {"mode", r.GetText(2)},
          {"file_name", r.GetText(3)},
          {"lines", r.GetInt(4)},
          {"listed", r.GetInt(5)},
          {"invalid", r.GetInt(6)},
          {"numbers_after", r.GetInt(7)},
          {"loaded_at", core::FormatIso8601Utc(r.GetInt(8))},
          {"loaded_by", r.GetText(9)},
          {"duration_ms", r.GetInt(10)}};
}

audit::AuditEntry Entry(const Actor& actor, std::string action, std::string target,
                        nlohmann::json summary) {
  return {actor.name,        actor.role, actor.address,  std::move(action),
          std::move(target), "success",  summary.dump(), actor.request_id};
}

}  // namespace

nlohmann::json DndLoadReport::ToJson() const {
  nlohmann::json errors_json = nlohmann::json::array();
  for (const auto& e : errors) {
    errors_json.push_back(
        {{"line", e.line},
         {"column", e.column},
         {"message", e.message},
         {"outcome", e.kept_as_full_block ? "kept as fully blocked" : "skipped"}});
  }
  return {{"load_id", load_id},
          {"registry_date", registry_date},
          {"mode", DndLoadModeName(mode)},
          {"lines", lines},
          {"listed", listed},
          {"duplicates", duplicates},
          {"invalid", invalid},
          {"numbers_before", numbers_before},
          {"numbers_after", numbers_after},
          {"partial_after", partial_after},
          {"duration_ms", duration_ms},
          {"errors", std::move(errors_json)},
          {"warnings", warnings}};
}

nlohmann::json DndVerdict::ToJson() const {
  return {{"indian", indian},
          {"listed", listed},
          {"blocked", blocked},
          {"reason", reason},
          {"preference", preference ? preference->ToJson() : nlohmann::json()}};
}

nlohmann::json DndStatus::ToJson() const {
  return {
      {"loaded", loaded},
      {"registry_date", loaded ? nlohmann::json(registry_date) : nlohmann::json()},
      {"today_ist", today_ist},
      {"stale", stale},
      {"overridden", overridden},
      {"usable", usable},
      {"reason", reason},
      {"numbers", numbers},
      {"partial", partial},
      {"bytes", bytes},
      {"snapshot_created_at",
       loaded ? nlohmann::json(core::FormatIso8601Utc(snapshot_created_at_ms)) : nlohmann::json()},
      {"last_load", last_load},
      {"override", override_}};
}

DndRegistry::DndRegistry(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
                         std::string directory)
    : db_(db), clock_(clock), audit_(audit), directory_(std::move(directory)) {}

core::Result<DndLoadReport> DndRegistry::Load(const std::string& path,
                                              const DndLoadOptions& options, const Actor& actor) {
  int64_t started = clock_.NowMillis();
  std::string today = core::IstDate(started);
  std::string date = options.registry_date.empty() ? today : options.registry_date;
  if (!core::IsCalendarDate(date)) {
    return core::MakeError(
        core::ErrorCode::kInvalidArgument,
        "the registry date must be a date written YYYY-MM-DD, got '" + date + "'", "invalid_date");
  }
  if (date > today) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the registry date " + date + " is after today (" + today +
                               " in IST); a registry file cannot come from the future",
                           "invalid_date");
  }
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot create " + directory_ + ": " + ec.message());
  }
  LoadLock lock(directory_ + "/load.lock");
  if (!lock.held()) {
    return core::MakeError(core::ErrorCode::kConflict,
                           lock.busy() ? "another DND load is running; try again when it ends"
                                       : "cannot create the lock file in " + directory_,
                           "dnd_load_busy");
  }

  auto read = ReadDndRegistryFile(path);
  if (!read) return read.error();
  DndLoadReport report;
  report.registry_date = date;
  report.mode = options.mode;
  report.lines = read->lines;
  report.listed = read->listed;
  report.duplicates = read->duplicates;
  report.invalid = read->invalid;
  report.errors = read->errors;
  report.warnings = read->warnings;
  if (read->invalid > 0 && !options.allow_invalid) {
    const auto& first = read->errors.front();
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           std::to_string(read->invalid) +
                               " line(s) of the registry file are invalid, first at line " +
                               std::to_string(first.line) + ", column " +
                               std::to_string(first.column) + ": " + first.message +
                               ". Nothing was loaded; fix the file, or load its valid lines with "
                               "--allow-invalid",
                           "invalid_dnd_file");
  }
  if (read->listed == 0 && options.mode == DndLoadMode::kReplace) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the registry file lists no numbers; a whole registry cannot be "
                           "empty (nothing was loaded)",
                           "empty_dnd_file");
  }

  DndEntries current;
  std::string path_now = snapshot_path();
  if (options.mode != DndLoadMode::kReplace) {
    auto existing = DndSnapshot::Open(path_now);
    if (!existing) {
      if (existing.error().detail_code == "dnd_not_loaded") {
        return core::MakeError(core::ErrorCode::kConflict,
                               "no registry is loaded yet: load a whole registry first "
                               "(--replace), then its daily additions and removals",
                               "dnd_not_loaded");
      }
      return existing.error();
    }
    current = (*existing)->Entries();
    report.numbers_before = current.all.size();
  } else if (auto existing = DndSnapshot::Open(path_now)) {
    report.numbers_before = (*existing)->info().numbers;
  }
  DndEntries next = MergeDndEntries(std::move(current), read->entries, options.mode);
  report.numbers_after = next.all.size();
  report.partial_after = next.partial.size();
  if (auto written = DndSnapshot::Write(path_now, next, date, clock_.NowMillis()); !written) {
    return written.error();
  }
  report.duration_ms = clock_.NowMillis() - started;
  std::string file_name =
      options.file_name.empty() ? path.substr(path.find_last_of('/') + 1) : options.file_name;
  report.load_id = storage::InTransaction(db_, [&](storage::Transaction& tx) {
    auto rows = tx.Execute(
        "INSERT INTO dnd_loads (registry_date, mode, file_name, lines, listed, invalid, "
        "numbers_after, partial_after, loaded_at, loaded_by, duration_ms) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        {storage::Text(date), storage::Text(std::string(DndLoadModeName(options.mode))),
         storage::Text(file_name), storage::Int(report.lines), storage::Int(report.listed),
         storage::Int(report.invalid), storage::Int(static_cast<int64_t>(report.numbers_after)),
         storage::Int(static_cast<int64_t>(report.partial_after)), storage::Int(started),
         storage::Text(actor.name), storage::Int(report.duration_ms)});
    int64_t id = rows.rows.at(0).GetInt(0);
    audit_.Append(tx, Entry(actor, "dnd.load", "dnd_load:" + std::to_string(id),
                            {{"registry_date", date},
                             {"mode", DndLoadModeName(options.mode)},
                             {"numbers_after", report.numbers_after},
                             {"invalid", report.invalid}}));
    return id;
  });
  {
    std::lock_guard lock_current(mutex_);
    checked_at_ms_ = -1;  // pick the new snapshot up at the next Current()
  }
  return report;
}

std::shared_ptr<const DndSnapshot> DndRegistry::Current() const {
  std::lock_guard lock(mutex_);
  int64_t now = clock_.NowMillis();
  if (checked_at_ms_ >= 0 && now - checked_at_ms_ < 1000 && now >= checked_at_ms_) return current_;
  checked_at_ms_ = now;
  struct stat st {};
  std::string path = snapshot_path();
  if (::stat(path.c_str(), &st) != 0) {
    current_.reset();  // removed: no registry, so nothing may be dialled
    current_inode_ = 0;
    return current_;
  }
  int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  if (current_ && st.st_ino == current_inode_ && mtime_ns == current_mtime_ns_) return current_;
  auto opened = DndSnapshot::Open(path);
  if (!opened) {
    // A damaged file is as good as none: fail closed.
    current_.reset();
    current_inode_ = 0;
    return current_;
  }
  current_ = *opened;
  current_inode_ = st.st_ino;
  current_mtime_ns_ = mtime_ns;
  return current_;
}

DndVerdict DndRegistry::Check(const DndSnapshot* snapshot, const std::string& e164, int category,
                              DndCallMode mode, std::optional<int64_t> at_ms) {
  DndVerdict v;
  auto national = IndianNational(e164);
  v.indian = national.has_value();
  if (!national) {
    v.reason = "not an Indian number: India's DND registry does not cover it";
    return v;
  }
  if (!snapshot) {
    v.blocked = true;
    v.reason = "no DND registry is loaded, so no Indian number may be called";
    return v;
  }
  auto pref = snapshot->Lookup(*national);
  if (!pref) {
    v.reason = "not on the DND registry of " + snapshot->info().registry_date;
    return v;
  }
  v.listed = true;
  v.preference = pref;
  std::string mode_name(DndCallModeName(mode));
  if (pref->FullyBlocked()) {
    v.blocked = true;
    v.reason = "fully blocked on the DND registry: no commercial calls of any category";
    return v;
  }
  // Category 0 asks about no category in particular: any listing counts (strictest).
  bool category_blocked = category == 0 || pref->BlocksCategory(category);
  if (category_blocked && BlocksCallMode(*pref, mode)) {
    v.blocked = true;
    v.reason =
        category == 0
            ? "listed on the DND registry for " + ModeList(*pref) +
                  " calls (no campaign category was given, so a listing for any category counts)"
        : pref->BlocksCategory(0)
            ? "blocks every category for " + ModeList(*pref) + " calls"
            : "blocks category " + std::to_string(category) + " (" +
                  std::string(DndCategoryName(category)) + ") for " + ModeList(*pref) + " calls";
    if (mode == DndCallMode::kAiAgent) v.reason += "; an AI agent's call counts as all of these";
    return v;
  }
  v.reason = category_blocked
                 ? "listed, but blocks only " + ModeList(*pref) + " calls, not " + mode_name
                 : "listed, but does not block category " + std::to_string(category) + " (" +
                       std::string(DndCategoryName(category)) + ")";
  if (at_ms) {
    const core::LocalTime ist = core::ToLocalTime(*at_ms, core::kIstOffsetMillis);
    char clock_text[8];
    std::snprintf(clock_text, sizeof clock_text, "%02d:%02d", ist.hour, ist.minute);
    int band = DndBandOfHour(ist.hour);
    if (!pref->AllowsBand(band)) {
      v.blocked = true;
      std::string bands;
      for (int b = 0; b < kDndBandCount; ++b) {
        if (pref->AllowsBand(b)) bands += (bands.empty() ? "" : ", ") + DndBandName(b);
      }
      v.reason += "; but the customer accepts calls only in the time bands " +
                  (bands.empty() ? std::string("(none)") : bands) + ", and it is " + clock_text +
                  " IST";
    } else if (!pref->AllowsDay(ist.weekday)) {
      v.blocked = true;
      v.reason += "; but the customer does not accept calls on " +
                  std::string(kWeekdays[ist.weekday]) + "s";
    }
  }
  return v;
}

std::string DndRegistry::LeadState(const DndSnapshot* snapshot, const std::string& e164) {
  if (!snapshot) return "unknown";
  auto national = IndianNational(e164);
  if (!national) return "clear";
  auto pref = snapshot->Lookup(*national);
  if (!pref) return "clear";
  return pref->FullyBlocked() ? "blocked" : "partial";
}

core::Result<DndStatus> DndRegistry::Status() const {
  DndStatus s;
  int64_t now = clock_.NowMillis();
  s.today_ist = core::IstDate(now);
  auto snapshot = Current();
  if (snapshot) {
    s.loaded = true;
    s.registry_date = snapshot->info().registry_date;
    s.numbers = snapshot->info().numbers;
    s.partial = snapshot->info().partial;
    s.bytes = snapshot->mapped_bytes();
    s.snapshot_created_at_ms = snapshot->info().created_at_ms;
    s.stale = s.registry_date < s.today_ist;
  }
  auto tx = db_.Begin(false);
  auto last = tx->Execute(
      "SELECT id, registry_date, mode, file_name, lines, listed, invalid, numbers_after, "
      "loaded_at, loaded_by, duration_ms FROM dnd_loads ORDER BY id DESC LIMIT 1");
  s.last_load = last.rows.empty() ? nlohmann::json() : LoadRowJson(last.rows[0]);
  if (s.loaded) {
    auto over = tx->Execute(
        "SELECT id, reason, created_by, created_at FROM dnd_overrides WHERE ist_date = $1 AND "
        "registry_date = $2 ORDER BY id DESC LIMIT 1",
        {storage::Text(s.today_ist), storage::Text(s.registry_date)});
    if (!over.rows.empty()) {
      const auto& r = over.rows[0];
      s.override_ = {{"id", r.GetInt(0)},
                     {"reason", r.GetText(1)},
                     {"created_by", r.GetText(2)},
                     {"created_at", core::FormatIso8601Utc(r.GetInt(3))},
                     {"valid_until", s.today_ist + "T23:59:59+05:30"}};
      s.overridden = true;
    }
  }
  s.usable = s.loaded && (!s.stale || s.overridden);
  if (!s.loaded) {
    s.reason = "no DND registry is loaded: load one with 'vaarta dnd load FILE'";
  } else if (s.stale && !s.overridden) {
    s.reason = "the DND registry is of " + s.registry_date + " and today is " + s.today_ist +
               " in IST: a registry is valid only on its own day. Load today's file, or an "
               "admin may override for today with a reason";
  } else if (s.stale) {
    s.reason = "the registry is of " + s.registry_date + ", used today by an admin's override";
  }
  return s;
}

core::Result<nlohmann::json> DndRegistry::Override(const std::string& reason, const Actor& actor) {
  if (auto ok = ValidateStoredText("reason", reason, DoNotCallList::kMaxReasonBytes); !ok) {
    return ok.error();
  }
  if (reason.find_first_not_of(" \t") == std::string::npos) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "an override needs a reason (why calling on an old registry is "
                           "acceptable today)",
                           "invalid_reason");
  }
  auto status = Status();
  if (!status) return status.error();
  if (!status->loaded) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "no DND registry is loaded: there is nothing to override",
                           "dnd_not_loaded");
  }
  if (!status->stale) {
    return core::MakeError(
        core::ErrorCode::kConflict,
        "the DND registry is today's (" + status->registry_date + "): it needs no override",
        "dnd_not_stale");
  }
  int64_t now = clock_.NowMillis();
  std::string today = status->today_ist;
  std::string registry_date = status->registry_date;
  int64_t id = storage::InTransaction(db_, [&](storage::Transaction& tx) {
    auto rows = tx.Execute(
        "INSERT INTO dnd_overrides (ist_date, registry_date, reason, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id",
        {storage::Text(today), storage::Text(registry_date), storage::Text(reason),
         storage::Text(actor.name), storage::Int(now)});
    int64_t new_id = rows.rows.at(0).GetInt(0);
    audit_.Append(
        tx, Entry(actor, "dnd.override", "dnd_override:" + std::to_string(new_id),
                  {{"ist_date", today}, {"registry_date", registry_date}, {"reason", reason}}));
    return new_id;
  });
  return nlohmann::json{{"id", id},
                        {"ist_date", today},
                        {"registry_date", registry_date},
                        {"reason", reason},
                        {"created_by", actor.name},
                        {"created_at", core::FormatIso8601Utc(now)},
                        {"valid_until", today + "T23:59:59+05:30"}};
}

}  // namespace vaarta::compliance
