#include "compliance/dnd_snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vaarta::compliance {
namespace {

constexpr char kMagic[8] = {'V', 'D', 'N', 'D', 'R', 'E', 'G', '1'};
constexpr uint64_t kFormatVersion = 1;
constexpr uint64_t kHeaderBytes = 128;

// Header fields, as 64-bit little-endian words after the magic.
struct Header {
  uint64_t version;
  char registry_date[16];
  int64_t created_at_ms;
  uint64_t set_offset;
  uint64_t set_bytes;
  uint64_t partial_count;
  uint64_t partial_numbers_offset;
  uint64_t partial_prefs_offset;
  uint64_t file_bytes;
};
static_assert(sizeof kMagic + sizeof(Header) <= kHeaderBytes);

core::Error Damaged(const std::string& path, const std::string& why) {
  return core::MakeError(core::ErrorCode::kUnavailable,
                         "the DND snapshot " + path + " is damaged (" + why +
                             "); load the registry file again with 'vaarta dnd load'",
                         "bad_snapshot");
}

core::Error SystemError(const std::string& what, const std::string& path) {
  return core::MakeError(core::ErrorCode::kUnavailable,
                         what + " " + path + ": " + std::strerror(errno));
}

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

DndSnapshot::~DndSnapshot() {
  if (map_) ::munmap(map_, size_);
}

core::Status DndSnapshot::Write(const std::string& path, const DndEntries& entries,
                                const std::string& registry_date, int64_t created_at_ms) {
  auto set = DndNumberSet::Build(entries.all, kDndUniverse);
  if (!set) return set.error();
  std::string set_bytes = set->Serialize();
  Header h{};
  h.version = kFormatVersion;
  std::memcpy(h.registry_date, registry_date.data(),
              std::min(registry_date.size(), sizeof h.registry_date - 1));
  h.created_at_ms = created_at_ms;
  h.set_offset = kHeaderBytes;
  h.set_bytes = set_bytes.size();  // a multiple of 8, so what follows stays aligned
  h.partial_count = entries.partial.size();
  h.partial_numbers_offset = h.set_offset + h.set_bytes;
  h.partial_prefs_offset = h.partial_numbers_offset + h.partial_count * 8;
  h.file_bytes = h.partial_prefs_offset + h.partial_count * 4;
  char header[kHeaderBytes] = {};
  std::memcpy(header, kMagic, sizeof kMagic);
  std::memcpy(header + sizeof kMagic, &h, sizeof h);

  std::vector<uint64_t> numbers(entries.partial.size());
  std::vector<uint32_t> prefs(entries.partial.size());
  for (size_t i = 0; i < entries.partial.size(); ++i) {
    numbers[i] = entries.partial[i].first;
    prefs[i] = entries.partial[i].second;
  }

  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return SystemError("cannot create", temp);
  bool ok = WriteAll(fd, header, sizeof header) &&
            WriteAll(fd, set_bytes.data(), set_bytes.size()) &&
            WriteAll(fd, numbers.data(), numbers.size() * 8) &&
            WriteAll(fd, prefs.data(), prefs.size() * 4) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok) {
    errno = saved;
    auto error = SystemError("cannot write", temp);
    ::unlink(temp.c_str());
    return error;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    auto error = SystemError("cannot rename the new snapshot to", path);
    ::unlink(temp.c_str());
    return error;
  }
  // Make the rename itself durable.
  std::string dir = path.substr(0, path.find_last_of('/') + 1);
  int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return core::Ok{};
}

core::Result<std::shared_ptr<const DndSnapshot>> DndSnapshot::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return core::MakeError(core::ErrorCode::kNotFound,
                             "no DND registry has been loaded (" + path + " does not exist)",
                             "dnd_not_loaded");
    }
    return SystemError("cannot open", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto error = SystemError("cannot read the size of", path);
    ::close(fd);
    return error;
  }
  auto size = static_cast<uint64_t>(st.st_size);
  if (size < kHeaderBytes) {
    ::close(fd);
    return Damaged(path, "shorter than its header");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (map == MAP_FAILED) return SystemError("cannot map", path);
  std::shared_ptr<DndSnapshot> snapshot(new DndSnapshot());
  snapshot->map_ = map;
  snapshot->size_ = size;
  const char* base = static_cast<const char*>(map);
  if (std::memcmp(base, kMagic, sizeof kMagic) != 0) {
    return Damaged(path, "it does not start with the snapshot marker");
  }
  Header h{};
  std::memcpy(&h, base + sizeof kMagic, sizeof h);
  if (h.version != kFormatVersion) {
    return Damaged(path, "format version " + std::to_string(h.version) + ", expected " +
                             std::to_string(kFormatVersion));
  }
  if (h.file_bytes != size) {
    return Damaged(path, "it has " + std::to_string(size) + " bytes where its header says " +
                             std::to_string(h.file_bytes));
  }
  if (h.set_offset != kHeaderBytes || h.set_bytes % 8 != 0 ||
      h.partial_numbers_offset != h.set_offset + h.set_bytes ||
      h.partial_prefs_offset != h.partial_numbers_offset + h.partial_count * 8 ||
      h.file_bytes != h.partial_prefs_offset + h.partial_count * 4) {
    return Damaged(path, "its section sizes do not agree");
  }
  auto set = DndNumberSet::View(std::string_view(base + h.set_offset, h.set_bytes));
  if (!set) return Damaged(path, set.error().message);
  snapshot->set_ = std::move(*set);
  snapshot->partial_numbers_ = reinterpret_cast<const uint64_t*>(base + h.partial_numbers_offset);
  snapshot->partial_prefs_ = reinterpret_cast<const uint32_t*>(base + h.partial_prefs_offset);
  h.registry_date[sizeof h.registry_date - 1] = '\0';
  snapshot->info_.registry_date = h.registry_date;
  snapshot->info_.created_at_ms = h.created_at_ms;
  snapshot->info_.numbers = snapshot->set_.size();
  snapshot->info_.partial = h.partial_count;
  return std::shared_ptr<const DndSnapshot>(std::move(snapshot));
}

std::optional<DndPreference> DndSnapshot::Lookup(uint64_t national) const {
  if (!set_.Contains(national)) return std::nullopt;
  const uint64_t* end = partial_numbers_ + info_.partial;
  const uint64_t* it = std::lower_bound(partial_numbers_, end, national);
  if (it != end && *it == national) {
    return DndPreference::FromPacked(partial_prefs_[it - partial_numbers_]);
  }
  return DndPreference::FullBlock();
}

DndEntries DndSnapshot::Entries() const {
  DndEntries entries;
  entries.all = set_.Decode();
  entries.partial.reserve(info_.partial);
  for (uint64_t i = 0; i < info_.partial; ++i) {
    entries.partial.emplace_back(partial_numbers_[i], partial_prefs_[i]);
  }
  return entries;
}

}  // namespace vaarta::compliance
