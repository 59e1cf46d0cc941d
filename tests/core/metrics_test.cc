#include "core/metrics.h"

#include <gtest/gtest.h>

namespace vaarta::core {
namespace {

TEST(Metrics, RendersCountersAndCumulativeHistogramBuckets) {
  MetricsRegistry registry;
  registry.GetCounter("x_total", "things", {{"kind", "a\"b"}})->Increment(2);
  Histogram* h = registry.GetHistogram("lat_seconds", "latency", {0.1, 1.0}, {{"route", "/r"}});
  h->Observe(0.05);
  h->Observe(0.5);
  h->Observe(5);
  std::string text = registry.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE x_total counter"), std::string::npos);
  EXPECT_NE(text.find("x_total{kind=\"a\\\"b\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/r\",le=\"0.10000000000000001\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/r\",le=\"1\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_count{route=\"/r\"} 3"), std::string::npos) << text;
}

TEST(Metrics, SameNameAndLabelsGiveTheSameSeries) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.GetCounter("a", "h", {{"k", "v"}}),
            registry.GetCounter("a", "h", {{"k", "v"}}));
  EXPECT_NE(registry.GetCounter("a", "h", {{"k", "v"}}),
            registry.GetCounter("a", "h", {{"k", "w"}}));
}

}  // namespace
}  // namespace vaarta::core
