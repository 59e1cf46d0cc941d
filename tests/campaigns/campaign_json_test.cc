#include "campaigns/campaign_json.h"

#include <gtest/gtest.h>

#include <map>

namespace vaarta::campaigns {
namespace {

using nlohmann::json;

// field path -> message, for asserting on several errors at once.
std::map<std::string, std::string> ByField(const std::vector<FieldError>& errors) {
  std::map<std::string, std::string> out;
  for (const auto& e : errors) out[e.field] = e.message;
  return out;
}

TEST(CampaignJson, DefaultsAreTheStrictValuesAndRoundTrip) {
  Campaign defaults;
  defaults.name = "Diwali";
  json doc = CampaignConfigToJson(defaults);
  EXPECT_EQ(doc["call_class"], "promotional");
  EXPECT_TRUE(doc["ncpr_category"].is_null());
  EXPECT_EQ(doc["window"]["start"], "10:00");
  EXPECT_EQ(doc["window"]["end"], "21:00");
  EXPECT_EQ(doc["window"]["days"].size(), 7u);
  EXPECT_EQ(doc["window"]["skip_holidays"], true);
  EXPECT_EQ(doc["attempts"]["max_per_day"], 1);
  EXPECT_EQ(doc["attempts"]["max_per_campaign"], 3);
  EXPECT_EQ(doc["attempts"]["min_gap_hours"], 24.0);
  EXPECT_EQ(doc["attempts"]["stop_after_refusal"], true);
  Campaign read;
  read.max_concurrent_calls = 99;  // every field is named, so none keeps this value
  EXPECT_TRUE(ReadCampaignConfig(doc, &read).empty());
  EXPECT_EQ(CampaignConfigToJson(read), doc);
}

TEST(CampaignJson, ReadsEveryField) {
  json doc = {
      {"name", "  Diwali gold plan  "},
      {"business_name", "Sona Jewellers"},
      {"goal", "sell the gold plan"},
      {"product_facts", "11 monthly instalments,\nthe 12th is on us"},
      {"offer", "no making charges"},
      {"call_class", "service"},
      {"call_class_reason", "renewal reminders for existing members"},
      {"ncpr_category", 5},
      {"languages", "hi"},
      {"script", {{"version", 1}}},
      {"knowledge",
       {{{"kind", "objection"}, {"intent", "objection_price"}, {"answer_en", "EMI available"}}}},
      {"provider", "exotel"},
      {"caller_id", "+911401234567"},
      {"dlt",
       {{"entity_id", "1201160000000012345"},
        {"caller_id_series", "140"},
        {"declaration_date", "2026-01-15"},
        {"override_reason", ""}}},
      {"window",
       {{"start", "11:30"}, {"end", "24:00"}, {"days", {"sat", "mon"}}, {"skip_holidays", false}}},
      {"max_concurrent_calls", 25},
      {"calls_per_second", 2.5},
      {"attempts",
       {{"max_per_day", 2},
        {"max_per_campaign", 5},
        {"min_gap_hours", 0.5},
        {"stop_after_refusal", false}}},
      {"start_date", "2026-12-01"},
      {"end_date", "2026-12-31"},
      {"list_ids", {3, 7}},
      {"lead_filter", {{"language", "hi"}, {"status", "new"}}},
      {"voicemail_policy", "leave_message"}};
  Campaign c;
  auto errors = ReadCampaignConfig(doc, &c);
  ASSERT_TRUE(errors.empty()) << DescribeFieldErrors(errors);
  EXPECT_EQ(c.name, "Diwali gold plan");
  EXPECT_EQ(c.call_class, CallClass::kService);
  EXPECT_EQ(c.ncpr_category, 5);
  EXPECT_EQ(c.knowledge.at(0).intent, "objection_price");
  EXPECT_EQ(c.dlt.caller_id_series, "140");
  EXPECT_EQ(c.window.start_minute, 11 * 60 + 30);
  EXPECT_EQ(c.window.end_minute, 24 * 60);
  EXPECT_EQ(c.window.days, (1u << 0) | (1u << 5));
  EXPECT_FALSE(c.window.skip_holidays);
  EXPECT_DOUBLE_EQ(c.calls_per_second, 2.5);
  EXPECT_EQ(c.attempts.min_gap_after_unanswered_ms, 1'800'000);
  EXPECT_EQ(c.list_ids, (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(c.voicemail_policy, "leave_message");
  json back = CampaignConfigToJson(c);
  EXPECT_EQ(back["window"]["days"], json({"mon", "sat"}));
  EXPECT_EQ(back["window"]["end"], "24:00");
  EXPECT_EQ(back["attempts"]["min_gap_hours"], 0.5);
}

TEST(CampaignJson, CollectsEveryErrorWithItsFieldPath) {
  json doc = {{"window", {{"start", "9am"}, {"days", {"mon", "funday", "mon"}}}},
              {"ncpr_category", 9},
              {"calls_per_second", 0},
              {"max_concurrent_calls", 2.5},
              {"colour", "blue"},
              {"caller_id", "98123 45670"},
              {"dlt", {{"caller_id_series", "150"}, {"declaration_date", "2026-02-30"}}},
              {"attempts", {{"min_gap_hours", 721}, {"max_per_day", 0}}},
              {"knowledge", {{{"intent", "objection_price"}}}},
              {"list_ids", {4, -1, 4}},
              {"lead_filter", {{"status", "erased"}, {"colour", "red"}}},
              {"end_date", "yesterday"},
              {"languages", "fr"},
              {"provider", "twillio"}};
  Campaign c;
  auto errors = ByField(ReadCampaignConfig(doc, &c));
  EXPECT_EQ(errors["window.start"], "must be HH:MM (00:00 to 23:59)");
  EXPECT_EQ(errors["window.days[1]"], "must be one of mon, tue, wed, thu, fri, sat, sun");
  EXPECT_EQ(errors["window.days[2]"], "repeats mon");
  EXPECT_EQ(errors["ncpr_category"].substr(0, 13), "must be 1-8 (");
  EXPECT_EQ(errors["calls_per_second"], "must be > 0 and <= 50");
  EXPECT_EQ(errors["max_concurrent_calls"], "must be a whole number 1-1000");
  EXPECT_NE(errors["colour"].find("is not a campaign field"), std::string::npos);
  EXPECT_NE(errors["caller_id"].find("E.164"), std::string::npos);
  EXPECT_EQ(errors["dlt.caller_id_series"], "must be one of \"\", 140, 1600");
  EXPECT_NE(errors["dlt.declaration_date"].find("YYYY-MM-DD"), std::string::npos);
  EXPECT_EQ(errors["attempts.min_gap_hours"], "must be a number of hours from 0 to 720");
  EXPECT_EQ(errors["attempts.max_per_day"], "must be 1-10");
  EXPECT_EQ(errors["knowledge[0].kind"], "is required");
  EXPECT_NE(errors["knowledge[0].answer_en"].find("give the answer"), std::string::npos);
  EXPECT_NE(errors["list_ids[1]"].find("positive"), std::string::npos);
  EXPECT_EQ(errors["list_ids[2]"], "repeats list 4");
  EXPECT_NE(errors["lead_filter.status"].find("lead status"), std::string::npos);
  EXPECT_NE(errors["lead_filter.colour"].find("is not a campaign field"), std::string::npos);
  EXPECT_NE(errors["end_date"].find("YYYY-MM-DD"), std::string::npos);
  EXPECT_EQ(errors["languages"], "must be one of en, hi, auto");
  EXPECT_EQ(errors["provider"], "must be one of simulator, twilio, exotel, plivo");
  EXPECT_EQ(errors.size(), 21u);
}

TEST(CampaignJson, ReadOnlyFieldsAreRefusedByName) {
  Campaign c;
  auto errors =
      ByField(ReadCampaignConfig({{"id", 4}, {"state", "running"}, {"created_at", "x"}}, &c));
  EXPECT_EQ(errors["id"], "is read-only");
  EXPECT_EQ(errors["state"], "is read-only");
  EXPECT_EQ(errors["created_at"], "is read-only");
}

TEST(CampaignJson, AbsentFieldsKeepTheirValuesAndNullRestoresTheDefault) {
  Campaign c;
  c.max_concurrent_calls = 5;
  c.window.start_minute = 11 * 60;
  c.goal = "book a demo";
  ASSERT_TRUE(ReadCampaignConfig({{"window", {{"end", "19:00"}}}}, &c).empty());
  EXPECT_EQ(c.window.start_minute, 11 * 60);
  EXPECT_EQ(c.window.end_minute, 19 * 60);
  EXPECT_EQ(c.max_concurrent_calls, 5);
  EXPECT_EQ(c.goal, "book a demo");
  ASSERT_TRUE(
      ReadCampaignConfig({{"max_concurrent_calls", nullptr}, {"window", nullptr}}, &c).empty());
  EXPECT_EQ(c.max_concurrent_calls, 10);
  EXPECT_EQ(c.window.start_minute, 10 * 60);
  EXPECT_EQ(c.window.end_minute, 21 * 60);
}

TEST(CampaignJson, WindowEndFollowsStartAndOnlyTheEndMayBeMidnight) {
  Campaign c;
  auto errors =
      ByField(ReadCampaignConfig({{"window", {{"start", "20:00"}, {"end", "20:00"}}}}, &c));
  EXPECT_EQ(errors["window.end"], "must be later than window.start (20:00)");
  Campaign d;
  errors = ByField(ReadCampaignConfig({{"window", {{"start", "24:00"}}}}, &d));
  EXPECT_EQ(errors["window.start"], "must be HH:MM (00:00 to 23:59)");
  Campaign e;
  errors =
      ByField(ReadCampaignConfig({{"start_date", "2026-12-10"}, {"end_date", "2026-12-01"}}, &e));
  EXPECT_EQ(errors["end_date"], "must not be before start_date (2026-12-10)");
}

TEST(CampaignJson, EmptyNameAndNonObjectsAreRefused) {
  Campaign c;
  EXPECT_EQ(ByField(ReadCampaignConfig({{"name", "   "}}, &c))["name"], "must not be empty");
  EXPECT_EQ(ReadCampaignConfig(json::array(), &c).size(), 1u);
  EXPECT_EQ(ByField(ReadCampaignConfig({{"script", "hello"}}, &c))["script"].substr(0, 23),
            "must be a script object");
  EXPECT_EQ(ByField(ReadCampaignConfig({{"name", "a\nb"}}, &c))["name"],
            "must not contain control characters or line breaks");
}

TEST(CampaignJson, SavedFilterReadsAsTheLeadsListingFilter) {
  Campaign c;
  ASSERT_TRUE(ReadCampaignConfig({{"lead_filter",
                                   {{"list", 3},
                                    {"status", "new"},
                                    {"tag", "hot"},
                                    {"language", "unknown"},
                                    {"dnd_state", "clear"},
                                    {"owner", 9},
                                    {"q", "Kapoor"}}}},
                                 &c)
                  .empty());
  leads::LeadFilter f = ToLeadFilter(c.lead_filter);
  EXPECT_EQ(f.list_id, 3);
  EXPECT_EQ(f.status, "new");
  EXPECT_EQ(f.tag, "hot");
  EXPECT_EQ(f.language, "");  // the listing's "unknown"
  EXPECT_EQ(f.dnd_state, "clear");
  EXPECT_EQ(f.owner_id, 9);
  EXPECT_EQ(f.text, "Kapoor");
  EXPECT_FALSE(ToLeadFilter(nullptr).status.has_value());
}

}  // namespace
}  // namespace vaarta::campaigns
