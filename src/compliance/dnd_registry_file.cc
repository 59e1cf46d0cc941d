#include "compliance/dnd_registry_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

namespace vaarta::compliance {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void Report(DndFileRead& read, size_t max_errors, int64_t line, int column, std::string message,
            bool kept) {
  ++read.invalid;
  if (read.errors.size() < max_errors) {
    read.errors.push_back({line, column, std::move(message), kept});
  }
}

// Sorts and removes repeats, counting them.
void SortUnique(std::vector<uint64_t>& values, int64_t& duplicates) {
  if (!std::is_sorted(values.begin(), values.end())) std::sort(values.begin(), values.end());
  auto end = std::unique(values.begin(), values.end());
  duplicates += values.end() - end;
  values.erase(end, values.end());
}

// Reads the number at the start of `line`: 10 digits not starting with 0, optionally
// written with +91, 91 or 0 in front. Returns the number of bytes used, 0 on error.
size_t ReadNumber(std::string_view line, uint64_t& number, std::string& error) {
  size_t i = 0;
  bool plus = !line.empty() && line[0] == '+';
  if (plus) ++i;
  size_t start = i;
  while (i < line.size() && IsDigit(line[i])) ++i;
  std::string_view digits = line.substr(start, i - start);
  if (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ',') {
    error = digits.empty()
                ? "expected a 10-digit number, found '" +
                      std::string(line.substr(0, std::min<size_t>(line.size(), 20))) + "'"
                : "unexpected '" + std::string(1, line[i]) + "' in the number";
    return 0;
  }
  if (plus && !(digits.size() == 12 && digits.substr(0, 2) == "91")) {
    error = "only Indian numbers (+91 and 10 digits) are on the registry";
    return 0;
  }
  if (digits.size() == 12 && digits.substr(0, 2) == "91") digits.remove_prefix(2);
  if (digits.size() == 11 && digits[0] == '0') digits.remove_prefix(1);
  if (digits.size() != 10) {
    error = "expected a 10-digit number, found " + std::to_string(digits.size()) + " digits";
    return 0;
  }
  if (digits[0] == '0') {
    error = "a 10-digit Indian number does not start with 0";
    return 0;
  }
  uint64_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint64_t>(c - '0');
  number = value;
  return i;
}

}  // namespace

DndFileRead ParseDndRegistryText(std::string_view text, size_t max_errors) {
  DndFileRead read;
  std::vector<uint64_t> full;
  std::vector<std::pair<uint64_t, uint32_t>> partial;
  bool seen_content = false;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a UTF-8 byte-order mark
  std::string error;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    ++read.lines;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // The common line, "9812345670", without the general path's bookkeeping.
    if (line.size() == 10 && line[0] >= '1' && line[0] <= '9' &&
        std::all_of(line.begin(), line.end(), IsDigit)) {
      uint64_t value = 0;
      for (char c : line) value = value * 10 + static_cast<uint64_t>(c - '0');
      full.push_back(value);
      ++read.listed;
      seen_content = true;
      continue;
    }
    size_t lead = line.find_first_not_of(" \t");
    if (lead == std::string_view::npos || line[lead] == '#') continue;
    std::string_view body = line.substr(lead);
    if (size_t hash = body.find('#'); hash != std::string_view::npos) body = body.substr(0, hash);
    int column = static_cast<int>(lead) + 1;
    if (!seen_content && std::none_of(body.begin(), body.end(), IsDigit)) {
      seen_content = true;
      read.warnings.push_back("line " + std::to_string(read.lines) +
                              " has no number and was read as a header: '" +
                              std::string(body.substr(0, 40)) + "'");
      continue;
    }
    seen_content = true;
    uint64_t number = 0;
    size_t used = ReadNumber(body, number, error);
    if (used == 0) {
      Report(read, max_errors, read.lines, column, error, false);
      continue;
    }
    ++read.listed;
    std::string_view rest = body.substr(used);
    if (!rest.empty() && rest[0] == ',') rest.remove_prefix(1);  // "9812345670,cat=1" from a CSV
    if (rest.find_first_not_of(" \t") == std::string_view::npos) {
      full.push_back(number);
      continue;
    }
    auto pref = ParseDndPreference(rest, column + static_cast<int>(body.size() - rest.size()));
    if (!pref) {
      // ParseDndPreference says "column N: what is wrong".
      const std::string& message = pref.error().message;
      size_t colon = message.find(": ");
      int at = message.rfind("column ", 0) == 0 ? std::atoi(message.c_str() + 7) : column;
      std::string what = colon == std::string::npos ? message : message.substr(colon + 2);
      Report(read, max_errors, read.lines, at, what, true);
      full.push_back(number);
      continue;
    }
    if (pref->FullyBlocked()) {
      full.push_back(number);
    } else {
      partial.emplace_back(number, pref->packed());
    }
  }

  SortUnique(full, read.duplicates);
  std::stable_sort(partial.begin(), partial.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // A number listed twice takes the stricter of its preferences; a full block wins.
  std::vector<std::pair<uint64_t, uint32_t>> merged;
  merged.reserve(partial.size());
  for (const auto& entry : partial) {
    if (!merged.empty() && merged.back().first == entry.first) {
      ++read.duplicates;
      merged.back().second = DndPreference::FromPacked(merged.back().second)
                                 .Stricter(DndPreference::FromPacked(entry.second))
                                 .packed();
    } else {
      merged.push_back(entry);
    }
  }
  // Numbers listed only with preferences join the set; those whose merged preference is
  // a full block leave the partial list. `merged` is sorted, so these stay sorted.
  std::vector<uint64_t> partial_numbers;
  for (const auto& entry : merged) {
    if (std::binary_search(full.begin(), full.end(), entry.first)) {
      ++read.duplicates;  // also listed bare: the full block wins
      continue;
    }
    partial_numbers.push_back(entry.first);
    if (!DndPreference::FromPacked(entry.second).FullyBlocked()) {
      read.entries.partial.push_back(entry);
    }
  }
  read.entries.all.resize(full.size() + partial_numbers.size());
  std::merge(full.begin(), full.end(), partial_numbers.begin(), partial_numbers.end(),
             read.entries.all.begin());
  return read;
}

core::Result<DndFileRead> ReadDndRegistryFile(const std::string& path, size_t max_errors) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::MakeError(core::ErrorCode::kInvalidArgument, path + " is not a regular file");
  }
  auto size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return ParseDndRegistryText({}, max_errors);
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "cannot map " + path + ": " + std::strerror(errno));
  }
  ::madvise(map, size, MADV_SEQUENTIAL);
  DndFileRead read =
      ParseDndRegistryText(std::string_view(static_cast<char*>(map), size), max_errors);
  ::munmap(map, size);
  return read;
}

std::string_view DndLoadModeName(DndLoadMode mode) {
  switch (mode) {
    case DndLoadMode::kReplace:
      return "replace";
    case DndLoadMode::kAdd:
      return "add";
    case DndLoadMode::kRemove:
      return "remove";
  }
  return "replace";
}

DndEntries MergeDndEntries(DndEntries current, const DndEntries& update, DndLoadMode mode) {
  if (mode == DndLoadMode::kReplace) return update;
  const auto& changed = update.all;
  auto in_update = [&changed](uint64_t n) {
    return std::binary_search(changed.begin(), changed.end(), n);
  };
  DndEntries out;
  if (mode == DndLoadMode::kAdd) {
    out.all.reserve(current.all.size() + changed.size());
    std::set_union(current.all.begin(), current.all.end(), changed.begin(), changed.end(),
                   std::back_inserter(out.all));
    // The update states each of its numbers' preference now: it replaces the old one.
    std::vector<std::pair<uint64_t, uint32_t>> kept;
    for (const auto& entry : current.partial) {
      if (!in_update(entry.first)) kept.push_back(entry);
    }
    out.partial.resize(kept.size() + update.partial.size());
    std::merge(kept.begin(), kept.end(), update.partial.begin(), update.partial.end(),
               out.partial.begin(), [](const auto& a, const auto& b) { return a.first < b.first; });
  } else {
    out.all.reserve(current.all.size());
    std::set_difference(current.all.begin(), current.all.end(), changed.begin(), changed.end(),
                        std::back_inserter(out.all));
    for (const auto& entry : current.partial) {
      if (!in_update(entry.first)) out.partial.push_back(entry);
    }
  }
  return out;
}

void WriteGeneratedDndRegistry(std::ostream& out, uint64_t count, uint64_t seed,
                               double partial_fraction) {
  std::mt19937_64 rng(seed);
  // Indian mobile numbers run from 6000000000 to 9999999999; spread `count` of them
  // evenly at random over that range, in increasing order.
  constexpr uint64_t kFirst = 6'000'000'000ULL, kSpan = 4'000'000'000ULL;
  count = std::min(count, kSpan);
  uint64_t gap = std::max<uint64_t>(1, kSpan / std::max<uint64_t>(count, 1));
  std::uniform_real_distribution<double> unit(0, 1);
  std::string buffer;
  buffer.reserve(1 << 20);
  uint64_t value = kFirst - 1;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t remaining = count - i;
    uint64_t room = kFirst + kSpan - 1 - value;  // values still free above `value`
    uint64_t max_step = std::max<uint64_t>(1, std::min(2 * gap - 1, room / remaining));
    value += 1 + rng() % max_step;
    buffer += std::to_string(value);
    if (unit(rng) < partial_fraction) {
      // A plausible partial preference: one or two categories, the auto-dialer modes.
      int first = 1 + static_cast<int>(rng() % 8);
      int second = 1 + static_cast<int>(rng() % 8);
      buffer += " cat=" + std::to_string(std::min(first, second));
      if (first != second) buffer += "," + std::to_string(std::max(first, second));
      buffer += rng() % 2 ? " modes=auto_recorded,auto_live,robo" : " modes=all";
      if (rng() % 4 == 0) buffer += " bands=10-12,18-21 days=mon-fri";
    }
    buffer += '\n';
    if (buffer.size() > (1 << 20) - 128) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

}  // namespace vaarta::compliance
