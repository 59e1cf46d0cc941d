#include "app/jwt_secret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"

namespace vaarta::app {

core::Status EnsureDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot create data folder '" + dir + "': " + ec.message());
  }
  return core::Ok{};
}

core::Result<std::string> LoadOrCreateJwtSecret(const std::string& configured,
                                                const std::string& data_dir) {
  return LoadOrCreateSecret(configured, data_dir, "jwt.secret");
}

core::Result<std::string> LoadOrCreateSecret(const std::string& configured,
                                             const std::string& data_dir,
                                             const std::string& file_name) {
  if (!configured.empty()) return configured;
  if (auto s = EnsureDirectory(data_dir); !s) return s.error();
  std::string path = data_dir + "/" + file_name;
  std::ifstream in(path);
  if (in) {
    std::stringstream buf;
    buf << in.rdbuf();
    std::string secret = buf.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.size() < 32) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             path +
                                 " holds a secret shorter than 32 characters; delete it to "
                                 "generate a new one (this logs everyone out)");
    }
    return secret;
  }
  std::string secret = core::RandomToken(48);
  // O_EXCL: if two processes race, one creates and the other reads what it wrote.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return LoadOrCreateSecret(configured, data_dir, file_name);
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot write " + path + ": " + std::strerror(errno));
  }
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path);
  return secret;
}

}  // namespace vaarta::app
