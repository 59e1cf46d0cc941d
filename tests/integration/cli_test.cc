// The `vaarta` command line as a user runs it: exit codes, one-line errors, precedence
// of configuration, and the audit verifier catching a tampered database.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "storage/database.h"
#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("cli");
    db_ = "sqlite:" + dir_ + "/vaarta.db";
    env_ = {{"VAARTA_DATA_DIR", dir_ + "/data"}, {"VAARTA_DB", ""}, {"VAARTA_CONFIG", ""}};
  }
  void TearDown() override { RemoveTree(dir_); }
  ProcessResult Run(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                    const std::string& in = "") {
    args.insert(args.begin(), kVaarta);
    for (const auto& [k, v] : env_) env.emplace(k, v);
    return RunProcess(args, env, in);
  }
  static bool OneLineError(const ProcessResult& r) {
    return r.exit_code != 0 && r.err.rfind("vaarta: ", 0) == 0 &&
           r.err.find('\n') == r.err.size() - 1;
  }
  std::string dir_, db_;
  std::map<std::string, std::string> env_;
};

TEST_F(CliTest, VersionAndHelpSucceed) {
  auto version = Run({"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("vaarta 0.", 0), 0u) << version.out;
  auto help = Run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* cmd : {"serve", "migrate", "user", "version", "config", "audit"}) {
    EXPECT_NE(help.out.find(cmd), std::string::npos) << cmd;
  }
  auto serve_help = Run({"serve", "--help"});
  EXPECT_EQ(serve_help.exit_code, 0);
  for (const char* opt : {"--db", "--host", "--port", "--demo", "--config"}) {
    EXPECT_NE(serve_help.out.find(opt), std::string::npos) << opt << serve_help.out;
  }
  EXPECT_EQ(Run({"user", "add", "--help"}).exit_code, 0);
}

TEST_F(CliTest, UsageErrorsAreOneLineAndNonZero) {
  EXPECT_TRUE(OneLineError(Run({"fly"})));
  EXPECT_TRUE(OneLineError(Run({})));
  EXPECT_TRUE(OneLineError(Run({"user", "add", "--email", "a@b.in"})));  // --role missing
  auto bad_db = Run({"migrate", "--db", "mysql://nowhere"});
  EXPECT_TRUE(OneLineError(bad_db)) << bad_db.err;
  EXPECT_NE(bad_db.err.find("sqlite:PATH or postgresql://"), std::string::npos);
  auto bad_env = Run({"migrate", "--db", db_}, {{"VAARTA_PROT", "1"}});
  EXPECT_TRUE(OneLineError(bad_env));
  EXPECT_NE(bad_env.err.find("VAARTA_PROT"), std::string::npos);
  auto bad_port = Run({"serve", "--db", db_, "--port", "http"});
  EXPECT_TRUE(OneLineError(bad_port)) << bad_port.err;
  // Two capital letters, but no region: refused with the setting's name, not a crash.
  auto bad_region = Run({"serve", "--db", db_, "--port", "0"}, {{"VAARTA_DEFAULT_REGION", "ZZ"}});
  EXPECT_TRUE(OneLineError(bad_region)) << bad_region.err;
  EXPECT_NE(bad_region.err.find("default_region"), std::string::npos) << bad_region.err;
}

TEST_F(CliTest, DncImportAddsAFileOfNumbersAndReportsTheRest) {
  std::string file = dir_ + "/old-crm-dnc.csv";
  std::ofstream(file) << "Mobile Number\n9876500001\n+91 98765 00002\n98765\n9876500001\n";
  std::string report = dir_ + "/refused.csv";
  auto r = Run({"dnc", "import", file, "--db", db_, "--reason", "old CRM", "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["total"], 4);
  EXPECT_EQ(summary["added"], 2);
  EXPECT_EQ(summary["already_listed"], 1);
  EXPECT_EQ(summary["invalid"], 1);
  std::ifstream in(report);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("4,invalid,too_short,"), std::string::npos) << text;
  // Again: nothing new.
  auto again = Run({"dnc", "import", file, "--db", db_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["already_listed"], 3);
  EXPECT_TRUE(OneLineError(Run({"dnc", "import", dir_ + "/missing.csv", "--db", db_})));
}

TEST_F(CliTest, MigrateAppliesOnceThenHasNothingToDo) {
  auto first = Run({"migrate", "--db", db_});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("(applied 1"), std::string::npos) << first.out;
  auto second = Run({"migrate"}, {{"VAARTA_DB", db_}});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("nothing to apply"), std::string::npos) << second.out;
}

TEST_F(CliTest, ConfigShowMergesFileEnvAndFlagsAndMasksSecrets) {
  std::string file = dir_ + "/vaarta.toml";
  std::ofstream(file) << "port = 7000\nhost = \"127.0.0.5\"\njwt_secret = \""
                      << std::string(40, 's') << "\"\n";
  auto shown =
      Run({"config", "show", "--config", file, "--db", "postgresql://vaarta:hunter2@db:5432/v"},
          {{"VAARTA_PORT", "7001"}});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("port = \"7001\"  # env"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("host = \"127.0.0.5\"  # file"), std::string::npos);
  EXPECT_NE(shown.out.find("db = \"postgresql://vaarta:****@db:5432/v\"  # flag"),
            std::string::npos);
  EXPECT_NE(shown.out.find("jwt_secret = \"****\"  # file"), std::string::npos);
  EXPECT_EQ(shown.out.find("hunter2"), std::string::npos);
  EXPECT_EQ(shown.out.find(std::string(40, 's')), std::string::npos);
  std::ofstream(file) << "port = \n";
  auto broken = Run({"config", "show", "--config", file});
  EXPECT_TRUE(OneLineError(broken));
  EXPECT_NE(broken.err.find("line 1"), std::string::npos) << broken.err;
}

TEST_F(CliTest, UserAddCreatesUsersAndRefusesDuplicates) {
  auto generated =
      Run({"user", "add", "--db", db_, "--email", "Asha@Example.in", "--role", "admin"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  EXPECT_NE(generated.out.find("<asha@example.in> with role admin"), std::string::npos)
      << generated.out;
  EXPECT_NE(generated.out.find("password: "), std::string::npos);
  auto from_stdin = Run({"user", "add", "--db", db_, "--email", "b@example.in", "--role", "agent",
                         "--password-stdin"},
                        {}, "a perfectly fine password\n");
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out.find("password:"), std::string::npos);
  auto duplicate =
      Run({"user", "add", "--db", db_, "--email", "asha@example.in", "--role", "agent"});
  EXPECT_TRUE(OneLineError(duplicate)) << duplicate.err;
  auto bad_role = Run({"user", "add", "--db", db_, "--email", "c@example.in", "--role", "owner"});
  EXPECT_TRUE(OneLineError(bad_role));
  auto weak = Run({"user", "add", "--db", db_, "--email", "d@example.in", "--role", "agent",
                   "--password", "123"});
  EXPECT_TRUE(OneLineError(weak)) << weak.err;
}

TEST_F(CliTest, UserListAndPasswordRecovery) {
  ASSERT_EQ(Run({"user", "add", "--db", db_, "--email", "asha@example.in", "--role", "admin",
                 "--name", "Asha"})
                .exit_code,
            0);
  auto list = Run({"user", "list", "--db", db_});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("asha@example.in\tadmin\tactive\tAsha"), std::string::npos) << list.out;
  auto reset =
      Run({"user", "set-password", "--db", db_, "--email", "ASHA@example.in", "--password-stdin"},
          {}, "a brand new password\n");
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(reset.out.find("password set for <asha@example.in>"), std::string::npos);
  EXPECT_TRUE(
      OneLineError(Run({"user", "set-password", "--db", db_, "--email", "nobody@example.in"})));
  auto verify = Run({"audit", "verify", "--db", db_});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("2 records"), std::string::npos)
      << verify.out;  // create + password change
}

TEST_F(CliTest, AuditVerifyDetectsAnEditedRecord) {
  ASSERT_EQ(
      Run({"user", "add", "--db", db_, "--email", "a@example.in", "--role", "admin"}).exit_code, 0);
  ASSERT_EQ(
      Run({"user", "add", "--db", db_, "--email", "b@example.in", "--role", "agent"}).exit_code, 0);
  auto intact = Run({"audit", "verify", "--db", db_});
  ASSERT_EQ(intact.exit_code, 0) << intact.err;
  EXPECT_NE(intact.out.find("intact: 2 records"), std::string::npos) << intact.out;
  {
    auto db = storage::OpenDatabase(db_, 1);
    auto tx = db->Begin();
    tx->Execute("UPDATE audit_log SET actor = 'cli:nobody' WHERE seq = 1");
    tx->Commit();
  }
  auto broken = Run({"audit", "verify", "--db", db_});
  EXPECT_TRUE(OneLineError(broken)) << broken.err;
  EXPECT_NE(broken.err.find("record 1"), std::string::npos) << broken.err;
}

}  // namespace
}  // namespace vaarta::testing
