// `vaarta dnd ...` as an operator runs it: generating test registries, loading whole
// registries and daily updates, refusing broken files, the status and override of a
// stale registry, checking numbers, and leads imported and re-checked against it.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "storage/database.h"
#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string IstDateOffset(int days) {
  return core::IstDate(core::SystemClock().NowMillis() + int64_t{days} * 86'400'000);
}

class DndCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    dir_ = MakeTempDir("dnd-cli");
    env_ = {{"VAARTA_DATA_DIR", dir_ + "/data"}, {"VAARTA_DB", ""}, {"VAARTA_CONFIG", ""}};
  }
  void TearDown() override {
    database_.reset();
    RemoveTree(dir_);
  }

  // Runs `vaarta ARGS` (no database option: for 'dnd generate').
  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), kVaarta);
    return RunProcess(args, env_);
  }
  // Runs `vaarta dnd ARGS --db URL`.
  ProcessResult Dnd(std::vector<std::string> args) {
    args.insert(args.begin(), "dnd");
    args.insert(args.end(), {"--db", database_->url()});
    return Run(std::move(args));
  }
  // Writes `text` to a file in the test's folder and returns its path.
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // The single JSON line a successful command prints.
  static nlohmann::json OneJsonLine(const ProcessResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    auto lines = Lines(r.out);
    EXPECT_EQ(lines.size(), 1u) << r.out;
    if (lines.size() != 1) return nlohmann::json::object();
    auto json = nlohmann::json::parse(lines[0], nullptr, false);
    EXPECT_TRUE(json.is_object()) << r.out;
    return json.is_object() ? json : nlohmann::json::object();
  }
  static bool OneLineError(const ProcessResult& r) {
    return r.exit_code == 1 && r.err.rfind("vaarta: ", 0) == 0 &&
           r.err.find('\n') == r.err.size() - 1 && r.out.empty();
  }
  nlohmann::json Load(std::vector<std::string> args) {
    args.insert(args.begin(), "load");
    return OneJsonLine(Dnd(std::move(args)));
  }
  nlohmann::json Status() { return OneJsonLine(Dnd({"status"})); }
  // The recorded DND state of the lead with this number.
  std::string LeadDndState(const std::string& e164) {
    auto db = storage::OpenDatabase(database_->url(), 1);
    auto tx = db->Begin(false);
    auto rows =
        tx->Execute("SELECT dnd_state FROM leads WHERE phone_e164 = $1", {storage::Text(e164)})
            .rows;
    if (rows.size() != 1) {
      ADD_FAILURE() << rows.size() << " leads with " << e164;
      return "";
    }
    return rows[0].GetText(0);
  }

  // The registry dates the leads were last checked against.
  std::set<std::string> CheckedOnDates() {
    auto db = storage::OpenDatabase(database_->url(), 1);
    auto tx = db->Begin(false);
    std::set<std::string> dates;
    for (const auto& r : tx->Execute("SELECT DISTINCT dnd_checked_on FROM leads").rows) {
      dates.insert(r.IsNull(0) ? "(null)" : r.GetText(0));
    }
    return dates;
  }

  std::unique_ptr<TestDatabase> database_;
  std::string dir_;
  std::map<std::string, std::string> env_;
};

TEST_P(DndCliTest, GenerateWritesSortedUniqueNumbersDeterministically) {
  std::string first = dir_ + "/first.txt", again = dir_ + "/again.txt", other = dir_ + "/other.txt";
  const std::vector<std::pair<std::string, std::string>> runs = {
      {first, "7"}, {again, "7"}, {other, "8"}};
  for (const auto& [path, seed] : runs) {
    auto made = Run(
        {"dnd", "generate", "--count", "1000", "--seed", seed, "--partial", "0.1", "--out", path});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    EXPECT_TRUE(made.out.empty()) << made.out;
  }
  std::string text = ReadFile(first);
  auto lines = Lines(text);
  ASSERT_EQ(lines.size(), 1000u);
  EXPECT_EQ(text.back(), '\n');
  uint64_t previous = 0;
  int partial = 0;
  for (const auto& line : lines) {
    std::string number = line.substr(0, line.find(' '));
    ASSERT_EQ(number.size(), 10u) << line;
    ASSERT_EQ(number.find_first_not_of("0123456789"), std::string::npos) << line;
    ASSERT_GE(number[0], '6') << line;  // an Indian mobile number
    uint64_t value = std::stoull(number);
    ASSERT_GT(value, previous) << "not sorted and unique at " << line;
    previous = value;
    if (line.size() > 10) {
      ++partial;
      EXPECT_EQ(line.substr(10, 5), " cat=") << line;
    }
  }
  // About a tenth carry a partial preference.
  EXPECT_GT(partial, 30);
  EXPECT_LT(partial, 200);
  EXPECT_EQ(ReadFile(again), text);
  EXPECT_NE(ReadFile(other), text);
  EXPECT_EQ(Lines(ReadFile(other)).size(), 1000u);

  // Without --out the registry goes to standard output.
  auto printed = Run({"dnd", "generate", "--count", "1000", "--seed", "7", "--partial", "0.1"});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_EQ(printed.out, text);
  EXPECT_TRUE(OneLineError(Run({"dnd", "generate", "--partial", "1.5"})));
}

TEST_P(DndCliTest, AStaleRegistryIsUnusableUntilOverridden) {
  std::string file = dir_ + "/registry.txt";
  ASSERT_EQ(
      Run({"dnd", "generate", "--count", "1000", "--seed", "7", "--partial", "0.1", "--out", file})
          .exit_code,
      0);
  const std::string yesterday = IstDateOffset(-1);
  auto report = Load({file, "--date", yesterday});
  EXPECT_EQ(report["numbers_after"], 1000) << report.dump();
  EXPECT_EQ(report["numbers_before"], 0);
  EXPECT_EQ(report["lines"], 1000);
  EXPECT_EQ(report["listed"], 1000);
  EXPECT_EQ(report["invalid"], 0);
  EXPECT_EQ(report["registry_date"], yesterday);
  EXPECT_EQ(report["mode"], "replace");
  EXPECT_GT(report["load_id"].get<int64_t>(), 0);
  EXPECT_EQ(report["errors"], nlohmann::json::array());
  EXPECT_EQ(report["leads_checked"], 0);
  EXPECT_EQ(report["leads_changed"], 0);

  auto stale = Status();
  EXPECT_TRUE(stale["loaded"].get<bool>()) << stale.dump();
  EXPECT_EQ(stale["registry_date"], yesterday);
  EXPECT_EQ(stale["today_ist"], IstDateOffset(0));
  EXPECT_TRUE(stale["stale"].get<bool>());
  EXPECT_FALSE(stale["usable"].get<bool>());
  EXPECT_FALSE(stale["overridden"].get<bool>());
  EXPECT_NE(stale["reason"].get<std::string>().find(yesterday), std::string::npos) << stale.dump();
  EXPECT_EQ(stale["numbers"], 1000);
  EXPECT_EQ(stale["partial"], report["partial_after"]);
  EXPECT_EQ(stale["last_load"]["id"], report["load_id"]);

  auto no_reason = Dnd({"override"});
  EXPECT_NE(no_reason.exit_code, 0);
  EXPECT_TRUE(OneLineError(Dnd({"override", "--reason", " "})));
  EXPECT_FALSE(Status()["usable"].get<bool>());

  const std::string reason = "NCPR download failed; yesterday's file approved by compliance";
  auto made = OneJsonLine(Dnd({"override", "--reason", reason}));
  EXPECT_EQ(made["reason"], reason);
  EXPECT_EQ(made["registry_date"], yesterday);
  EXPECT_EQ(made["ist_date"], IstDateOffset(0));
  EXPECT_EQ(made["created_by"].get<std::string>().rfind("cli:", 0), 0u) << made.dump();

  auto overridden = Status();
  EXPECT_TRUE(overridden["stale"].get<bool>()) << overridden.dump();
  EXPECT_TRUE(overridden["overridden"].get<bool>());
  EXPECT_TRUE(overridden["usable"].get<bool>());
  EXPECT_EQ(overridden["override"]["reason"], reason);

  // The override holds for the registry it was made for, not for an older one loaded later.
  Load({file, "--date", IstDateOffset(-2)});
  auto older = Status();
  EXPECT_EQ(older["registry_date"], IstDateOffset(-2)) << older.dump();
  EXPECT_FALSE(older["overridden"].get<bool>());
  EXPECT_FALSE(older["usable"].get<bool>());
}

TEST_P(DndCliTest, AFileWithErrorsIsRefusedUnlessAskedToLoadItsValidLines) {
  auto first = Load({Write("base.txt", "9812345670\n9812345671\n9812345679\n")});
  ASSERT_EQ(first["numbers_after"], 3);
  std::string bad = Write("bad.txt",
                          "9812345670\n"
                          "98123 x\n"
                          "9812345672 cat=9\n"
                          "9812345673\n");
  auto refused = Dnd({"load", bad});
  EXPECT_TRUE(OneLineError(refused)) << refused.exit_code << " " << refused.err << refused.out;
  EXPECT_NE(refused.err.find("line 2"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("column 1"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--allow-invalid"), std::string::npos) << refused.err;

  // The registry loaded before stays.
  auto kept = Status();
  EXPECT_EQ(kept["numbers"], 3) << kept.dump();
  EXPECT_EQ(kept["last_load"]["id"], first["load_id"]);
  auto still = OneJsonLine(Dnd({"check", "9812345679"}));
  EXPECT_TRUE(still["listed"].get<bool>()) << still.dump();

  auto loaded = Load({bad, "--allow-invalid"});
  EXPECT_EQ(loaded["lines"], 4) << loaded.dump();
  EXPECT_EQ(loaded["invalid"], 2);
  EXPECT_EQ(loaded["listed"], 3);
  EXPECT_EQ(loaded["numbers_before"], 3);
  EXPECT_EQ(loaded["numbers_after"], 3);
  EXPECT_EQ(loaded["partial_after"], 0);
  const auto& errors = loaded["errors"];
  ASSERT_EQ(errors.size(), 2u) << loaded.dump();
  EXPECT_EQ(errors[0]["line"], 2);
  EXPECT_EQ(errors[0]["column"], 1);
  EXPECT_EQ(errors[0]["outcome"], "skipped");
  EXPECT_FALSE(errors[0]["message"].get<std::string>().empty());
  EXPECT_EQ(errors[1]["line"], 3);
  EXPECT_EQ(errors[1]["column"], 16);  // the '9' of "cat=9"
  EXPECT_EQ(errors[1]["outcome"], "kept as fully blocked");
  EXPECT_NE(errors[1]["message"].get<std::string>().find("'9'"), std::string::npos)
      << errors[1].dump();

  auto check = Dnd({"check", "9812345672", "9812345679", "--category", "1", "--mode", "voice"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  auto lines = Lines(check.out);
  ASSERT_EQ(lines.size(), 2u) << check.out;
  auto unreadable = nlohmann::json::parse(lines[0]);
  EXPECT_TRUE(unreadable["blocked"].get<bool>()) << lines[0];
  EXPECT_TRUE(unreadable["preference"]["fully_blocked"].get<bool>()) << lines[0];
  EXPECT_FALSE(nlohmann::json::parse(lines[1])["listed"].get<bool>()) << lines[1];
}

TEST_P(DndCliTest, DailyAdditionsAndRemovalsChangeTheRegistry) {
  std::string additions = Write("add.txt", "9812345672\n9812345673\n9812345670 cat=1 modes=robo\n");
  auto early = Dnd({"load", additions, "--add"});
  EXPECT_TRUE(OneLineError(early)) << early.err;
  EXPECT_NE(early.err.find("no registry is loaded"), std::string::npos) << early.err;
  EXPECT_FALSE(Status()["loaded"].get<bool>());
  EXPECT_TRUE(OneLineError(Dnd({"load", additions, "--add", "--remove"})));

  ASSERT_EQ(Load({Write("base.txt", "9812345670\n9812345671\n9812345679\n")})["numbers_after"], 3);
  auto added = Load({additions, "--add"});
  EXPECT_EQ(added["mode"], "add") << added.dump();
  EXPECT_EQ(added["numbers_before"], 3);
  EXPECT_EQ(added["numbers_after"], 5);
  EXPECT_EQ(added["partial_after"], 1);  // 9812345670 takes the file's preference
  EXPECT_EQ(Status()["numbers"], 5);

  auto removed = Load({Write("remove.txt", "9812345671\n9812345699\n"), "--remove"});
  EXPECT_EQ(removed["mode"], "remove") << removed.dump();
  EXPECT_EQ(removed["numbers_before"], 5);
  EXPECT_EQ(removed["numbers_after"], 4);
  EXPECT_EQ(Status()["numbers"], 4);

  // A whole registry cannot be empty; the one loaded stays.
  auto empty = Dnd({"load", Write("empty.txt", "# no numbers today\n"), "--replace"});
  EXPECT_TRUE(OneLineError(empty)) << empty.err;
  EXPECT_EQ(Status()["numbers"], 4);

  auto check = Dnd({"check", "9812345670", "9812345671", "9812345673", "--category", "2"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  auto lines = Lines(check.out);
  ASSERT_EQ(lines.size(), 3u) << check.out;
  auto updated = nlohmann::json::parse(lines[0]);
  EXPECT_TRUE(updated["listed"].get<bool>()) << lines[0];
  EXPECT_FALSE(updated["blocked"].get<bool>()) << lines[0];
  EXPECT_FALSE(nlohmann::json::parse(lines[1])["listed"].get<bool>()) << lines[1];
  EXPECT_TRUE(nlohmann::json::parse(lines[2])["blocked"].get<bool>()) << lines[2];
}

TEST_P(DndCliTest, TheRegistryDateMustBeARealDayNotInTheFuture) {
  std::string file = Write("registry.txt", "9812345670\n");
  auto future = Dnd({"load", file, "--date", IstDateOffset(1)});
  EXPECT_TRUE(OneLineError(future)) << future.err;
  EXPECT_NE(future.err.find("after today"), std::string::npos) << future.err;
  auto words = Dnd({"load", file, "--date", "yesterday"});
  EXPECT_TRUE(OneLineError(words)) << words.err;
  EXPECT_NE(words.err.find("YYYY-MM-DD"), std::string::npos) << words.err;
  auto impossible = Dnd({"load", file, "--date", "2026-02-30"});
  EXPECT_TRUE(OneLineError(impossible)) << impossible.err;
  EXPECT_NE(impossible.err.find("YYYY-MM-DD"), std::string::npos) << impossible.err;
  EXPECT_FALSE(Status()["loaded"].get<bool>());

  auto today = Load({file, "--date", IstDateOffset(0)});
  EXPECT_EQ(today["registry_date"], IstDateOffset(0));
  auto status = Status();
  EXPECT_FALSE(status["stale"].get<bool>()) << status.dump();
  EXPECT_TRUE(status["usable"].get<bool>());
  // Today's registry needs no override.
  auto needless = Dnd({"override", "--reason", "just in case"});
  EXPECT_TRUE(OneLineError(needless)) << needless.err;
  EXPECT_NE(needless.err.find("needs no override"), std::string::npos) << needless.err;
}

TEST_P(DndCliTest, CheckPrintsOneJsonLinePerNumber) {
  Load({Write("registry.txt", "9812345670\n9812345671 cat=1 modes=robo\n")});
  auto robo = Dnd({"check", "9812345670", "+91 98123 45671", "9812345679", "--category", "1"});
  ASSERT_EQ(robo.exit_code, 0) << robo.err;
  auto lines = Lines(robo.out);
  ASSERT_EQ(lines.size(), 3u) << robo.out;
  std::vector<nlohmann::json> results;
  for (const auto& line : lines) results.push_back(nlohmann::json::parse(line));
  EXPECT_EQ(results[0]["input"], "9812345670");
  EXPECT_EQ(results[0]["phone"], "+919812345670");
  EXPECT_TRUE(results[0]["blocked"].get<bool>());
  EXPECT_NE(results[0]["reason"].get<std::string>().find("fully blocked"), std::string::npos)
      << lines[0];
  EXPECT_EQ(results[1]["input"], "+91 98123 45671");
  EXPECT_EQ(results[1]["phone"], "+919812345671");
  EXPECT_TRUE(results[1]["blocked"].get<bool>()) << lines[1];  // the AI agent is a robo call
  EXPECT_FALSE(results[1]["reason"].get<std::string>().empty());
  EXPECT_EQ(results[2]["phone"], "+919812345679");
  EXPECT_FALSE(results[2]["blocked"].get<bool>());
  EXPECT_FALSE(results[2]["reason"].get<std::string>().empty());
  EXPECT_FALSE(results[0]["may_call"].get<bool>());
  EXPECT_TRUE(results[2]["may_call"].get<bool>());
  for (const auto& r : results) {
    EXPECT_EQ(r["registry_date"], IstDateOffset(0)) << r.dump();
    EXPECT_FALSE(r["stale"].get<bool>()) << r.dump();
  }

  auto voice = Dnd({"check", "+91 98123 45671", "--category", "1", "--mode", "voice"});
  ASSERT_EQ(voice.exit_code, 0) << voice.err;
  EXPECT_FALSE(OneJsonLine(voice)["blocked"].get<bool>()) << voice.out;
  auto early = Dnd({"check", "9812345671", "--category", "2", "--at", "2026-03-02T08:00:00+05:30"});
  auto early_json = OneJsonLine(early);
  EXPECT_TRUE(early_json["blocked"].get<bool>()) << early.out;
  EXPECT_NE(early_json["reason"].get<std::string>().find("time bands"), std::string::npos)
      << early.out;

  // An unreadable number gets its line with the error, and the exit code says so.
  auto invalid = Dnd({"check", "12345", "9812345670"});
  EXPECT_EQ(invalid.exit_code, 1);
  auto invalid_lines = Lines(invalid.out);
  ASSERT_EQ(invalid_lines.size(), 2u) << invalid.out;
  auto refused = nlohmann::json::parse(invalid_lines[0]);
  EXPECT_FALSE(refused["error"].get<std::string>().empty()) << invalid_lines[0];
  EXPECT_FALSE(refused.contains("blocked")) << invalid_lines[0];
  EXPECT_TRUE(nlohmann::json::parse(invalid_lines[1])["blocked"].get<bool>());

  EXPECT_TRUE(OneLineError(Dnd({"check", "9812345670", "--category", "9"})));
  EXPECT_TRUE(OneLineError(Dnd({"check", "9812345670", "--mode", "fax"})));
  EXPECT_TRUE(OneLineError(Dnd({"check", "9812345670", "--at", "tomorrow"})));
}

TEST_P(DndCliTest, ImportsRecordTheDndStateAndLoadsRecheckEveryLead) {
  Load({Write("registry.txt", "9812345670\n9812345671 cat=1 modes=robo\n9812345699\n")});
  std::string csv = Write("leads.csv",
                          "name,phone\n"
                          "Asha,9812345670\n"
                          "Ravi,+91 98123 45671\n"
                          "Meera,9812345672\n"
                          "Kiran,098123 45673\n");
  auto imported = Run({"leads", "import", csv, "--db", database_->url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto summary = nlohmann::json::parse(imported.out);
  EXPECT_EQ(summary["imported"], 4) << imported.out;
  EXPECT_EQ(summary["dnd_blocked"], 2) << imported.out;
  EXPECT_EQ(LeadDndState("+919812345670"), "blocked");
  EXPECT_EQ(LeadDndState("+919812345671"), "partial");
  EXPECT_EQ(LeadDndState("+919812345672"), "clear");
  EXPECT_EQ(LeadDndState("+919812345673"), "clear");

  // The next registry no longer lists 9812345670.
  auto replaced =
      Load({Write("next.txt", "9812345671 cat=1 modes=robo\n9812345699\n"), "--replace"});
  EXPECT_EQ(replaced["numbers_after"], 2) << replaced.dump();
  EXPECT_EQ(replaced["leads_checked"], 4);
  EXPECT_EQ(replaced["leads_changed"], 1);
  EXPECT_EQ(LeadDndState("+919812345670"), "clear");
  EXPECT_EQ(LeadDndState("+919812345671"), "partial");
  EXPECT_EQ(CheckedOnDates(), std::set<std::string>{IstDateOffset(0)});

  // And the one after lists 9812345672 and 9812345673 as fully blocked.
  auto added = Load({Write("more.txt", "9812345672\n9812345673\n"), "--add"});
  EXPECT_EQ(added["leads_checked"], 4) << added.dump();
  EXPECT_EQ(added["leads_changed"], 2);
  EXPECT_EQ(LeadDndState("+919812345672"), "blocked");
  EXPECT_EQ(LeadDndState("+919812345673"), "blocked");
}

INSTANTIATE_TEST_SUITE_P(Dialects, DndCliTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
