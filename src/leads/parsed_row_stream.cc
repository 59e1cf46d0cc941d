#include "leads/parsed_row_stream.h"

namespace vaarta::leads {
namespace {

// Rows per chunk, and chunks the reader may run ahead: enough to smooth out uneven
// rows, little enough to keep memory flat (a few MB).
constexpr size_t kChunkRows = 2000;
constexpr size_t kChunksAhead = 4;

}  // namespace

ParsedRowStream::ParsedRowStream(import::RecordReader& reader, const LeadRowParser& parser,
                                 ImportProgress* progress)
    : reader_(reader), parser_(parser), progress_(progress) {
  thread_ = std::thread([this] { Read(); });
}

ParsedRowStream::~ParsedRowStream() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool ParsedRowStream::Push(Chunk chunk) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return stopped_ || chunks_.size() < kChunksAhead; });
  if (stopped_) return false;
  chunks_.push_back(std::move(chunk));
  lock.unlock();
  changed_.notify_all();
  return true;
}

void ParsedRowStream::Read() {
  import::RawRecord record;
  Chunk chunk;
  chunk.rows.reserve(kChunkRows);
  while (true) {
    auto more = reader_.Next(&record);
    if (!more) {
      chunk.error = more.error();
      break;
    }
    if (!*more) break;
    if (progress_) {
      progress_->bytes_read.store(reader_.bytes_read(), std::memory_order_relaxed);
      progress_->bytes_total.store(reader_.bytes_total(), std::memory_order_relaxed);
    }
    ParsedRow parsed = parser_.Parse(record);
    if (!parsed.lead && !parsed.refusal) continue;  // blank
    chunk.rows.push_back({record.row, std::move(record.original), std::move(parsed)});
    if (chunk.rows.size() >= kChunkRows) {
      if (!Push(std::move(chunk))) return;
      chunk = Chunk{};
      chunk.rows.reserve(kChunkRows);
    }
  }
  chunk.end = true;
  Push(std::move(chunk));
}

core::Result<std::vector<ParsedRecord>> ParsedRowStream::Next() {
  std::unique_lock lock(mutex_);
  if (ended_) return std::vector<ParsedRecord>{};
  changed_.wait(lock, [this] { return !chunks_.empty(); });
  Chunk chunk = std::move(chunks_.front());
  chunks_.pop_front();
  lock.unlock();
  changed_.notify_all();
  if (chunk.end) {
    std::lock_guard again(mutex_);
    ended_ = true;
  }
  // Rows read before a failure are of no use: the import stops and rolls back.
  if (chunk.error) return *chunk.error;
  if (chunk.end && chunk.rows.empty()) return std::vector<ParsedRecord>{};
  return std::move(chunk.rows);
}

}  // namespace vaarta::leads
