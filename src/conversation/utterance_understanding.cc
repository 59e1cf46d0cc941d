#include "conversation/utterance_understanding.h"

#include <cstdio>

#include "campaigns/civil_date.h"

namespace vaarta::conversation {
namespace {

std::string IsoWithOffset(int64_t ms, const campaigns::ZoneRules& zone) {
  int64_t offset_s = zone.Covers(ms) ? zone.OffsetAt(ms) / 1000 : 0;
  int64_t local = ms / 1000 + offset_s;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t secs = local - days * 86400;
  const campaigns::CivilDate date = campaigns::CivilFromDays(days);
  const long long y = date.year, m = date.month, d = date.day;
  char sign = offset_s < 0 ? '-' : '+';
  int64_t off = offset_s < 0 ? -offset_s : offset_s;
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld%c%02lld:%02lld",
                y, m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs % 3600 / 60), static_cast<long long>(secs % 60), sign,
                static_cast<long long>(off / 3600), static_cast<long long>(off % 3600 / 60));
  return buffer;
}

}  // namespace

core::Result<std::unique_ptr<UtteranceUnderstanding>> UtteranceUnderstanding::WithModel(
    const std::string& model_path) {
  auto model = FastTextIntentClassifier::Load(model_path);
  if (!model) return model.error();
  std::unique_ptr<UtteranceUnderstanding> u(new UtteranceUnderstanding());
  u->model_ = std::move(*model);
  u->layered_ = std::make_unique<LayeredIntentClassifier>(*u->model_, u->rules_);
  return u;
}

std::unique_ptr<UtteranceUnderstanding> UtteranceUnderstanding::RulesOnly() {
  return std::unique_ptr<UtteranceUnderstanding>(new UtteranceUnderstanding());
}

const IntentClassifier& UtteranceUnderstanding::classifier() const {
  if (layered_) return *layered_;
  return rules_;
}

Understood UtteranceUnderstanding::Understand(const std::string& text, int64_t now_ms,
                                              const campaigns::ZoneRules& zone) const {
  Understood out;
  out.text = text;
  NormalizedText normal = normalizer_.Normalize(text);
  out.intent = classifier().Classify(normal);
  out.sentiment = sentiment_.Analyze(normal, out.intent.intent);
  out.entities = entities_.Extract(text, normal);
  out.callback_at_ms = callback_parser_.Parse(normal, now_ms, zone);
  return out;
}

nlohmann::json Understood::ToJson(const campaigns::ZoneRules& zone) const {
  nlohmann::json entities = nlohmann::json::object();
  if (callback_at_ms) entities["callback_at"] = IsoWithOffset(*callback_at_ms, zone);
  if (!intent.target_language.empty()) entities["target_language"] = intent.target_language;
  if (!this->entities.numbers.empty()) entities["numbers"] = this->entities.numbers;
  if (!this->entities.emails.empty()) entities["emails"] = this->entities.emails;
  return {{"text", text},
          {"intent", intent.intent},
          {"confidence", intent.confidence},
          {"language", intent.language},
          {"sentiment", sentiment.label},
          {"sentiment_score", sentiment.score},
          {"entities", entities}};
}

}  // namespace vaarta::conversation
