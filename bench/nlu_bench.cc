// nlu_bench: the time of one dialogue step (normalise, classify, sentiment, move the
// script, fill the line) on one core, with the production classifier (fastText model +
// rules) beside the same step with the rule classifier alone (the baseline), and the
// classification alone. Utterances come from the held-out test set in all three scripts.
//
//   nlu_bench MODEL TEST_DIR [iterations]
// Prints one JSON object.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "campaigns/script_generator.h"
#include "conversation/labelled_utterances.h"
#include "conversation/script_dialogue.h"
#include "conversation/utterance_understanding.h"
#include "core/clock.h"

using namespace vaarta;
using Clock = std::chrono::steady_clock;

namespace {

campaigns::Campaign BenchCampaign() {
  campaigns::Campaign c;
  c.id = 1;
  c.name = "Gold loans";
  c.business_name = "Shubh Gold Loans";
  c.goal = "book a branch visit for a gold loan";
  c.offer = "No processing fee in March";
  c.product_facts =
      "Loans against gold jewellery from 10,000 to 5 lakh rupees. The interest rate is 1 "
      "percent per month. Money in 30 minutes at the branch.";
  c.languages = "auto";
  c.script = campaigns::GenerateTemplateScript(c);
  c.knowledge = {{"faq", "", "What is the interest rate?", "ब्याज दर क्या है?",
                  "The interest rate is 1 percent per month.", "ब्याज दर 1 प्रतिशत प्रति माह है।"}};
  return c;
}

struct Figures {
  double p50_us = 0, p99_us = 0, max_us = 0, mean_us = 0;
};

Figures Summarise(std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  Figures f;
  auto at = [&us](double q) {
    return us[static_cast<size_t>(q * static_cast<double>(us.size() - 1))];
  };
  f.p50_us = at(0.50);
  f.p99_us = at(0.99);
  f.max_us = us.back();
  double sum = 0;
  for (double v : us) sum += v;
  f.mean_us = sum / static_cast<double>(us.size());
  return f;
}

nlohmann::json ToJson(const Figures& f) {
  return {{"p50_us", f.p50_us}, {"p99_us", f.p99_us}, {"max_us", f.max_us}, {"mean_us", f.mean_us}};
}

// Dialogue steps over many short calls (a new one when a call ends and after 8
// utterances), so that steps run in every part of the script.
Figures StepTimes(const conversation::IntentClassifier& classifier,
                  const std::vector<std::string>& texts, int iterations) {
  core::ManualClock clock(1773120600000);  // 2026-03-10 11:00 IST
  conversation::ScriptConversationEngine engine(classifier, clock);
  auto campaign = std::make_shared<campaigns::Campaign>(BenchCampaign());
  conversation::CallContext context;
  context.campaign = campaign;
  context.language = "en";
  context.lead_source = "your enquiry on our website";
  std::vector<double> us;
  us.reserve(static_cast<size_t>(iterations));
  auto open = [&]() -> std::unique_ptr<conversation::ConversationSession> {
    auto started = engine.Start(context);
    std::unique_ptr<conversation::ConversationSession> session = std::move(*started);
    session->Open();
    return session;
  };
  std::unique_ptr<conversation::ConversationSession> session = open();
  int heard = 0;
  for (int i = 0; i < iterations; ++i) {
    conversation::Utterance u{texts[static_cast<size_t>(i) % texts.size()], 0.9, "",
                              clock.NowMillis()};
    auto start = Clock::now();
    auto turn = session->Hear(u);
    auto end = Clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    // A new call (not timed) when this one ended, and every 8 utterances.
    if (turn.end_call || ++heard == 8) {
      session = open();
      heard = 0;
    }
  }
  return Summarise(us);
}

Figures ClassifyTimes(const conversation::UtteranceUnderstanding& u,
                      const std::vector<std::string>& texts, int iterations) {
  std::vector<double> us;
  us.reserve(static_cast<size_t>(iterations));
  size_t sink = 0;
  for (int i = 0; i < iterations; ++i) {
    auto start = Clock::now();
    auto normal = u.normalizer().Normalize(texts[static_cast<size_t>(i) % texts.size()]);
    auto result = u.classifier().Classify(normal);
    auto end = Clock::now();
    sink += result.intent.size();
    us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  if (sink == 0) std::cerr << "no intents\n";
  return Summarise(us);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: nlu_bench MODEL TEST_DIR [iterations]\n";
    return 2;
  }
  int iterations = argc > 3 ? std::atoi(argv[3]) : 50000;
  std::vector<std::string> texts;
  for (const char* name : {"en.tsv", "hi.tsv", "hinglish.tsv"}) {
    auto file = conversation::ReadLabelledFile(std::string(argv[2]) + "/" + name);
    if (!file) {
      std::cerr << file.error().message << "\n";
      return 1;
    }
    for (auto& u : file->utterances) texts.push_back(u.text);
  }
  // Interleave the scripts, so every stretch of the run sees all three.
  std::vector<std::string> mixed;
  for (size_t i = 0; i < texts.size(); ++i) mixed.push_back(texts[(i * 7919) % texts.size()]);
  auto model = conversation::UtteranceUnderstanding::WithModel(argv[1]);
  if (!model) {
    std::cerr << model.error().message << "\n";
    return 1;
  }
  auto rules = conversation::UtteranceUnderstanding::RulesOnly();
  // Warm-up: the first calls fill caches (the compiled script, ICU's transliterators).
  StepTimes((*model)->classifier(), mixed, 2000);
  StepTimes(rules->classifier(), mixed, 2000);
  Figures step_model = StepTimes((*model)->classifier(), mixed, iterations);
  Figures step_rules = StepTimes(rules->classifier(), mixed, iterations);
  Figures classify_model = ClassifyTimes(**model, mixed, iterations);
  Figures classify_rules = ClassifyTimes(*rules, mixed, iterations);
  nlohmann::json out = {{"utterances", mixed.size()},
                        {"iterations", iterations},
                        {"step_model", ToJson(step_model)},
                        {"step_rules", ToJson(step_rules)},
                        {"classify_model", ToJson(classify_model)},
                        {"classify_rules", ToJson(classify_rules)}};
  std::cout << out.dump() << "\n";
  return 0;
}
