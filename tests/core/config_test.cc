#include "core/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support/test_database.h"

namespace vaarta::core {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("config"); }
  void TearDown() override { testing::RemoveTree(dir_); }
  std::string WriteFile(const std::string& text) {
    std::string path = dir_ + "/vaarta.toml";
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(ConfigTest, DefaultsAreTheEmbeddedProduct) {
  ConfigSources sources;
  auto config = sources.Resolve();
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->db, "sqlite:data/vaarta.db");
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8080);
  EXPECT_FALSE(config->demo);
}

TEST_F(ConfigTest, FlagsBeatEnvironmentWhichBeatsTheFile) {
  ConfigSources sources;
  ASSERT_TRUE(
      sources.LoadFile(WriteFile("port = 9001\nhost = \"0.0.0.0\"\nlog_level = \"warn\"\n")).ok());
  std::string port_env = "VAARTA_PORT=9002", host_env = "VAARTA_HOST=127.0.0.2";
  char* env[] = {port_env.data(), host_env.data(), nullptr};
  ASSERT_TRUE(sources.LoadEnvironment(env).ok());
  sources.SetFlag("port", "9003");
  auto config = sources.Resolve();
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->port, 9003);
  EXPECT_EQ(config->host, "127.0.0.2");
  EXPECT_EQ(config->log_level, "warn");
  auto effective = sources.Effective();
  EXPECT_EQ(effective["port"].source, "flag");
  EXPECT_EQ(effective["host"].source, "env");
  EXPECT_EQ(effective["log_level"].source, "file");
  EXPECT_EQ(effective["db"].source, "default");
}

TEST_F(ConfigTest, MalformedFileNamesLineAndColumn) {
  ConfigSources sources;
  auto status = sources.LoadFile(WriteFile("port = 9001\nhost = \n"));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("line 2"), std::string::npos) << status.error().message;
}

TEST_F(ConfigTest, UnknownKeysAreErrorsNotIgnored) {
  ConfigSources sources;
  auto status = sources.LoadFile(WriteFile("prot = 9001\n"));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("unknown key 'prot'"), std::string::npos);
  std::string bad = "VAARTA_PROT=1";
  char* env[] = {bad.data(), nullptr};
  EXPECT_FALSE(sources.LoadEnvironment(env).ok());
}

TEST_F(ConfigTest, BadValuesSayWhichSettingAndWhere) {
  ConfigSources sources;
  sources.SetFlag("port", "80a");
  auto config = sources.Resolve();
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("'port' (from flag)"), std::string::npos)
      << config.error().message;
  ConfigSources short_secret;
  short_secret.SetFlag("jwt_secret", "short");
  EXPECT_FALSE(short_secret.Resolve().ok());
}

TEST_F(ConfigTest, ShowMasksSecretsAndDatabasePasswords) {
  ConfigSources sources;
  sources.SetFlag("jwt_secret", std::string(40, 'x'));
  sources.SetFlag("db", "postgresql://vaarta:hunter2@db.internal:5432/vaarta");
  std::string text = RenderConfig(sources.Effective());
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_EQ(text.find(std::string(40, 'x')), std::string::npos) << text;
  EXPECT_NE(text.find("postgresql://vaarta:****@db.internal:5432/vaarta"), std::string::npos)
      << text;
  EXPECT_NE(text.find("jwt_secret = \"****\"  # flag"), std::string::npos) << text;
}

}  // namespace
}  // namespace vaarta::core
