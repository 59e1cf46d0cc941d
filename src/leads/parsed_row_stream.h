#pragma once
// ParsedRowStream: reads and parses an import file's rows on a thread of its own, a
// chunk ahead of the importer that checks and stores them. Reading, decoding and
// cleaning a row (phone numbers above all) cost about as much as storing it, so on two
// cores the two halves overlap instead of adding up.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "leads/import/record_reader.h"
#include "leads/lead_importer.h"
#include "leads/lead_row_parser.h"

namespace vaarta::leads {

struct ParsedRecord {
  int64_t row = 0;
  std::string original;  // the row as in the file, for reports
  ParsedRow parsed;
};

class ParsedRowStream {
 public:
  // Starts reading at once. `reader` and `parser` must outlive the stream; `progress`
  // (may be null) gets bytes read and total.
  ParsedRowStream(import::RecordReader& reader, const LeadRowParser& parser,
                  ImportProgress* progress);
  // Stops the reading thread (if still running) and waits for it.
  ~ParsedRowStream();
  ParsedRowStream(const ParsedRowStream&) = delete;
  ParsedRowStream& operator=(const ParsedRowStream&) = delete;

  // The next rows in file order, blank ones left out; an empty chunk at the end, and
  // the reader's error if it failed.
  core::Result<std::vector<ParsedRecord>> Next();

 private:
  struct Chunk {
    std::vector<ParsedRecord> rows;
    std::optional<core::Error> error;
    bool end = false;
  };
  void Read();
  bool Push(Chunk chunk);  // false when the consumer has gone

  import::RecordReader& reader_;
  const LeadRowParser& parser_;
  ImportProgress* progress_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk> chunks_;
  bool stopped_ = false;  // the consumer wants no more
  bool ended_ = false;    // the consumer has seen the end
  std::thread thread_;
};

}  // namespace vaarta::leads
