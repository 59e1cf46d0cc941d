#include "conversation/labelled_utterances.h"

#include <algorithm>
#include <fstream>

#include "campaigns/script.h"

namespace vaarta::conversation {
namespace {

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

core::Result<LabelledFile> ReadLabelledFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error{core::ErrorCode::kNotFound, "cannot read '" + path + "'"};
  LabelledFile file;
  file.path = path;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1) {
      if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a byte-order mark
      if (line != "intent\ttext") {
        return core::Error{core::ErrorCode::kInvalidArgument,
                           path + ":1: the first line must be the header 'intent<TAB>text'"};
      }
      continue;
    }
    if (IsBlank(line)) continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      file.problems.push_back({number, 0, "expected two tab-separated columns, found one"});
      continue;
    }
    if (line.find('\t', tab + 1) != std::string::npos) {
      file.problems.push_back({number, 3, "expected two tab-separated columns, found more"});
      continue;
    }
    LabelledUtterance utterance{line.substr(0, tab), line.substr(tab + 1), number};
    if (std::find(campaigns::kIntents.begin(), campaigns::kIntents.end(), utterance.intent) ==
        campaigns::kIntents.end()) {
      file.problems.push_back({number, 1, "'" + utterance.intent + "' is not an intent"});
      continue;
    }
    if (IsBlank(utterance.text)) {
      file.problems.push_back({number, 2, "the text is empty"});
      continue;
    }
    file.utterances.push_back(std::move(utterance));
  }
  return file;
}

std::string Describe(const LabelledFile& file, const CorpusProblem& problem) {
  std::string where = file.path + ":" + std::to_string(problem.line);
  if (problem.column > 0) where += ":" + std::to_string(problem.column);
  return where + ": " + problem.message;
}

}  // namespace vaarta::conversation
