#pragma once
// Labelled utterances: the NLU corpus format, a UTF-8 TSV whose first line is the header
// `intent<TAB>text` and whose every other line is one utterance with its intent. The
// training corpus (corpus/nlu/train), the held-out test set (corpus/nlu/test) and the
// shared development set are all in it.
#include <string>
#include <vector>

#include "core/result.h"

namespace vaarta::conversation {

struct LabelledUtterance {
  std::string intent;
  std::string text;
  int line = 0;  // 1-based line of the file
};

// A line that is not a labelled utterance: where, and what is wrong with it.
struct CorpusProblem {
  int line = 0;
  int column = 0;  // 1-based: 1 the intent, 2 the text; 0 the line as a whole
  std::string message;
};

struct LabelledFile {
  std::string path;
  std::vector<LabelledUtterance> utterances;  // every good line, in file order
  std::vector<CorpusProblem> problems;        // every bad line, in file order
};

// Reads a whole file. Bad lines are reported and skipped; the good ones are kept. An
// error only when the file cannot be read or lacks the header.
core::Result<LabelledFile> ReadLabelledFile(const std::string& path);

// "path:line:column: message", for operators.
std::string Describe(const LabelledFile& file, const CorpusProblem& problem);

}  // namespace vaarta::conversation
