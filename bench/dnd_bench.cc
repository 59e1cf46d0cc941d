// DND registry benchmark: 300M numbers (India's registry holds about 280M) in the
// Elias-Fano set (compliance/dnd_number_set.h), written as a snapshot, memory-mapped
// back, and probed on one core; beside std::unordered_set<uint64_t> holding the same
// numbers, in the same run.
//   dnd_bench [COUNT [no-baseline]]   (default 300000000, with the baseline)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <unordered_set>
#include <vector>

#include "compliance/dnd_number_set.h"

using vaarta::compliance::DndNumberSet;
using Clock = std::chrono::steady_clock;

static double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

static long ResidentKiB() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  const uint64_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 300000000ULL;
  const uint64_t universe = 4000000000ULL;  // 6000000000..9999999999 as offsets
  std::mt19937_64 rng(42);
  std::vector<uint64_t> numbers;
  numbers.reserve(count);
  const uint64_t mean_gap = universe / (count + 1);
  for (uint64_t v = rng() % mean_gap; numbers.size() < count && v < universe;
       v += 1 + rng() % (2 * mean_gap)) {
    numbers.push_back(v);
  }
  auto start = Clock::now();
  auto built = DndNumberSet::Build(numbers, universe);
  if (!built) {
    std::fprintf(stderr, "%s\n", built.error().message.c_str());
    return 1;
  }
  double build_s = Seconds(start);
  std::string path = "/tmp/vaarta-dnd-bench.snapshot";
  {
    std::string bytes = built->Serialize();
    std::ofstream(path, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  *built = DndNumberSet();  // drop the built copy: lookups below use the mapped file
  long rss_before = ResidentKiB();
  start = Clock::now();
  int fd = ::open(path.c_str(), O_RDONLY);
  struct stat st {};
  ::fstat(fd, &st);
  void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                     MAP_PRIVATE | MAP_POPULATE, fd, 0);
  auto view = DndNumberSet::View(
      std::string_view(static_cast<const char*>(map), static_cast<size_t>(st.st_size)));
  double load_s = Seconds(start);
  if (!view) {
    std::fprintf(stderr, "%s\n", view.error().message.c_str());
    return 1;
  }
  long rss_mapped = ResidentKiB() - rss_before;

  // Probes: half members, half random numbers.
  const size_t kProbes = 50000000;
  std::vector<uint64_t> probes(kProbes);
  for (size_t i = 0; i < kProbes; ++i)
    probes[i] = i % 2 ? numbers[rng() % numbers.size()] : rng() % universe;
  start = Clock::now();
  uint64_t hits = 0;
  for (uint64_t p : probes) hits += view->Contains(p);
  double ef_single_s = Seconds(start);
  std::vector<uint8_t> answers(kProbes);
  start = Clock::now();
  view->ContainsMany(probes.data(), probes.size(), answers.data());
  double ef_s = Seconds(start);
  uint64_t batch_hits = 0;
  for (uint8_t a : answers) batch_hits += a;
  if (batch_hits != hits) {
    std::fprintf(stderr, "batched lookups disagree: %llu vs %llu\n",
                 static_cast<unsigned long long>(batch_hits),
                 static_cast<unsigned long long>(hits));
    return 1;
  }

  if (argc > 2 && std::string(argv[2]) == "no-baseline") {
    std::printf(
        "elias-fano: %.3f bytes/number, %.1f million lookups/s one at a time, %.1f million/s "
        "batched\n",
        static_cast<double>(st.st_size) / numbers.size(), kProbes / ef_single_s / 1e6,
        kProbes / ef_s / 1e6);
    return 0;
  }
  long rss_before_set = ResidentKiB();
  start = Clock::now();
  std::unordered_set<uint64_t> baseline(numbers.begin(), numbers.end());
  double set_build_s = Seconds(start);
  long set_kib = ResidentKiB() - rss_before_set;
  start = Clock::now();
  uint64_t set_hits = 0;
  for (uint64_t p : probes) set_hits += baseline.count(p);
  double set_s = Seconds(start);
  if (set_hits != hits) {
    std::fprintf(stderr, "disagreement: %llu vs %llu hits\n", static_cast<unsigned long long>(hits),
                 static_cast<unsigned long long>(set_hits));
    return 1;
  }
  ::munmap(map, static_cast<size_t>(st.st_size));
  ::close(fd);
  std::remove(path.c_str());
  const double n = static_cast<double>(numbers.size());
  std::printf("numbers: %zu (universe 6000000000..9999999999)\n", numbers.size());
  std::printf(
      "elias-fano: build %.1f s, snapshot %.0f MB = %.3f bytes/number, mmap load %.3f s, resident "
      "%.0f MB\n",
      build_s, static_cast<double>(st.st_size) / 1e6, static_cast<double>(st.st_size) / n, load_s,
      static_cast<double>(rss_mapped) / 1024.0);
  std::printf(
      "elias-fano lookups on one core: %.1f million/s batched (ContainsMany), %.1f million/s one "
      "at a time "
      "(%zu probes, half members)\n",
      kProbes / ef_s / 1e6, kProbes / ef_single_s / 1e6, kProbes);
  std::printf(
      "std::unordered_set baseline: build %.1f s, %.0f MB = %.1f bytes/number, %.1f million "
      "lookups/s\n",
      set_build_s, static_cast<double>(set_kib) / 1024.0, static_cast<double>(set_kib) * 1024.0 / n,
      kProbes / set_s / 1e6);
  std::printf("ratio: memory %.1fx smaller, lookups %.2fx the baseline's speed\n",
              static_cast<double>(set_kib) * 1024.0 / static_cast<double>(st.st_size),
              set_s / ef_s);
  return 0;
}
