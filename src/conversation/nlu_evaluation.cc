#include "conversation/nlu_evaluation.h"

#include <cstdio>
#include <sstream>

#include "campaigns/script.h"

namespace vaarta::conversation {
namespace {

std::string Percent(double share) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", share * 100.0);
  return buffer;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string PadLeft(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// Short column heads for the confusion matrix: the initials of the intent's words.
std::string Abbreviation(std::string_view intent) {
  std::string out;
  bool start = true;
  for (char c : intent) {
    if (c == '_') {
      start = true;
      continue;
    }
    if (start || out.size() < 2) out += c;
    start = false;
  }
  return out.substr(0, 4);
}

}  // namespace

std::string ScriptOf(const NormalizedText& text, const LanguageIdentifier& language) {
  if (text.devanagari_letters > text.latin_letters) return "devanagari";
  return language.Identify(text) == "hinglish" ? "hinglish" : "english";
}

double NluEvaluation::Precision(const std::string& intent) const {
  auto it = predicted_count.find(intent);
  if (it == predicted_count.end() || it->second == 0) return 0.0;
  auto row = confusion.find(intent);
  int hits = 0;
  if (row != confusion.end()) {
    auto cell = row->second.find(intent);
    if (cell != row->second.end()) hits = cell->second;
  }
  return static_cast<double>(hits) / it->second;
}

double NluEvaluation::FalseOptOutRate(const std::string& other) const {
  auto tally = per_intent.find(other);
  if (tally == per_intent.end() || tally->second.total == 0) return 0.0;
  auto row = confusion.find(other);
  if (row == confusion.end()) return 0.0;
  auto cell = row->second.find("opt_out");
  return cell == row->second.end() ? 0.0 : static_cast<double>(cell->second) / tally->second.total;
}

std::pair<std::string, double> NluEvaluation::WorstFalseOptOut() const {
  std::pair<std::string, double> worst{"", 0.0};
  for (const auto& [intent, tally] : per_intent) {
    if (intent == "opt_out") continue;
    double rate = FalseOptOutRate(intent);
    if (rate > worst.second) worst = {intent, rate};
  }
  return worst;
}

nlohmann::json NluEvaluation::ToJson() const {
  nlohmann::json j;
  j["utterances"] = overall.total;
  j["accuracy"] = overall.Accuracy();
  for (const auto& [script, tally] : per_script) {
    j["per_script"][script] = {{"utterances", tally.total}, {"accuracy", tally.Accuracy()}};
  }
  for (const auto& [intent, tally] : per_intent) {
    j["per_intent"][intent] = {{"utterances", tally.total},
                               {"recall", tally.Accuracy()},
                               {"precision", Precision(intent)}};
  }
  auto opt_out = per_intent.find("opt_out");
  j["opt_out_recall"] = opt_out == per_intent.end() ? 0.0 : opt_out->second.Accuracy();
  auto worst = WorstFalseOptOut();
  j["worst_false_opt_out"] = {{"intent", worst.first}, {"rate", worst.second}};
  j["confusion"] = confusion;
  return j;
}

std::string NluEvaluation::Report(const std::string& title) const {
  std::ostringstream out;
  out << "NLU evaluation of " << title << ": " << overall.total << " utterances\n\n";
  out << "accuracy overall  " << Percent(overall.Accuracy()) << "  (" << overall.correct << "/"
      << overall.total << ")\n";
  for (const auto& [script, tally] : per_script) {
    out << "  " << Pad(script, 16) << Percent(tally.Accuracy()) << "  (" << tally.correct << "/"
        << tally.total << ")\n";
  }
  auto opt_out = per_intent.find("opt_out");
  out << "\nopt_out recall    "
      << (opt_out == per_intent.end() ? std::string("n/a") : Percent(opt_out->second.Accuracy()));
  auto worst = WorstFalseOptOut();
  out << "\nfalse opt_out     "
      << (worst.first.empty() ? std::string("none")
                              : Percent(worst.second) + " at most (" + worst.first + ")")
      << "\n\n";
  out << Pad("intent", 20) << PadLeft("n", 5) << PadLeft("recall", 9) << PadLeft("precision", 11)
      << "\n";
  for (auto intent : campaigns::kIntents) {
    auto it = per_intent.find(std::string(intent));
    if (it == per_intent.end()) continue;
    out << Pad(std::string(intent), 20) << PadLeft(std::to_string(it->second.total), 5)
        << PadLeft(Percent(it->second.Accuracy()), 9)
        << PadLeft(Percent(Precision(std::string(intent))), 11) << "\n";
  }
  out << "\nconfusion matrix (rows: expected, columns: predicted)\n" << Pad("", 20);
  for (auto intent : campaigns::kIntents) out << PadLeft(Abbreviation(intent), 5);
  out << "\n";
  for (auto expected : campaigns::kIntents) {
    auto row = confusion.find(std::string(expected));
    if (row == confusion.end()) continue;
    out << Pad(std::string(expected), 20);
    for (auto predicted : campaigns::kIntents) {
      auto cell = row->second.find(std::string(predicted));
      out << PadLeft(cell == row->second.end() ? "." : std::to_string(cell->second), 5);
    }
    out << "\n";
  }
  if (!misses.empty()) {
    out << "\nmisses (line: expected -> predicted (confidence): text)\n";
    for (const auto& miss : misses) {
      char confidence[16];
      std::snprintf(confidence, sizeof confidence, "%.2f", miss.confidence);
      out << "  " << miss.line << ": " << miss.expected << " -> " << miss.predicted << " ("
          << confidence << "): " << miss.text << "\n";
    }
  }
  return out.str();
}

NluEvaluation Evaluate(const IntentClassifier& classifier, const TextNormalizer& normalizer,
                       const std::vector<LabelledUtterance>& utterances) {
  NluEvaluation evaluation;
  LanguageIdentifier language;
  for (const auto& utterance : utterances) {
    NormalizedText text = normalizer.Normalize(utterance.text);
    IntentResult result = classifier.Classify(text);
    std::string predicted = result.intent.empty() ? "out_of_scope" : result.intent;
    bool correct = predicted == utterance.intent;
    auto count = [correct](Tally& tally) {
      ++tally.total;
      if (correct) ++tally.correct;
    };
    count(evaluation.overall);
    count(evaluation.per_script[ScriptOf(text, language)]);
    count(evaluation.per_intent[utterance.intent]);
    ++evaluation.predicted_count[predicted];
    ++evaluation.confusion[utterance.intent][predicted];
    if (!correct) {
      evaluation.misses.push_back(
          {utterance.line, utterance.intent, predicted, result.confidence, utterance.text});
    }
  }
  return evaluation;
}

}  // namespace vaarta::conversation
