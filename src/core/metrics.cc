#include "core/metrics.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace vaarta::core {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  std::lock_guard lock(mutex_);
  counts_[i]++;
  sum_ += value;
  count_++;
}

void Histogram::Snapshot(std::vector<uint64_t>* cumulative, double* sum, uint64_t* count) const {
  std::lock_guard lock(mutex_);
  cumulative->assign(counts_.size(), 0);
  uint64_t running = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    running += counts_[i];
    (*cumulative)[i] = running;
  }
  *sum = sum_;
  *count = count_;
}

static std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

static std::string RenderLabels(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ',';
    out += k + "=\"" + EscapeLabelValue(v) + "\"";
  }
  return out;
}

static std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

Counter* MetricsRegistry::GetCounter(const std::string& name, const std::string& help,
                                     const Labels& labels) {
  std::lock_guard lock(mutex_);
  Family& family = families_[name];
  family.help = help;
  auto& slot = family.counters[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return slot.get();
}

Histogram* MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const std::vector<double>& bounds, const Labels& labels) {
  std::lock_guard lock(mutex_);
  Family& family = families_[name];
  family.help = help;
  family.is_histogram = true;
  auto& slot = family.histograms[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(bounds);
  return slot.get();
}

std::string MetricsRegistry::RenderPrometheus() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  for (const auto& [name, family] : families_) {
    out << "# HELP " << name << ' ' << family.help << '\n';
    out << "# TYPE " << name << (family.is_histogram ? " histogram" : " counter") << '\n';
    for (const auto& [labels, counter] : family.counters) {
      out << name << (labels.empty() ? "" : "{" + labels + "}") << ' '
          << FormatNumber(counter->Value()) << '\n';
    }
    for (const auto& [labels, hist] : family.histograms) {
      std::vector<uint64_t> cumulative;
      double sum;
      uint64_t count;
      hist->Snapshot(&cumulative, &sum, &count);
      std::string sep = labels.empty() ? "" : ",";
      for (size_t i = 0; i < cumulative.size(); ++i) {
        std::string le = i < hist->bounds().size() ? FormatNumber(hist->bounds()[i]) : "+Inf";
        out << name << "_bucket{" << labels << sep << "le=\"" << le << "\"} " << cumulative[i]
            << '\n';
      }
      std::string braces = labels.empty() ? "" : "{" + labels + "}";
      out << name << "_sum" << braces << ' ' << FormatNumber(sum) << '\n';
      out << name << "_count" << braces << ' ' << count << '\n';
    }
  }
  return out.str();
}

std::vector<double> MetricsRegistry::LatencyBucketsSeconds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace vaarta::core
