#pragma once
// The DND registry file format (docs/dnd-registry.md): one 10-digit number a line,
// optionally followed by its preference tokens ("cat=1,3 modes=robo bands=10-12
// days=mon-fri"); '#' starts a comment; blank lines and CRLF are fine. This file reads
// such text into registry entries, merges an update into a registry, and writes
// generated test registries.
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/dnd_snapshot.h"
#include "core/result.h"

namespace vaarta::compliance {

struct DndLineError {
  int64_t line = 0;  // 1-based
  int column = 0;    // 1-based, in bytes
  std::string message;
  // The number was readable but its preference was not: it is kept as fully blocked,
  // the strictest reading (the registry fails closed).
  bool kept_as_full_block = false;
};

struct DndFileRead {
  DndEntries entries;
  int64_t lines = 0;       // lines in the file
  int64_t listed = 0;      // lines that named a number (kept), duplicates included
  int64_t duplicates = 0;  // numbers listed more than once (the strictest preference wins)
  int64_t invalid = 0;     // lines with an error (see errors; kept ones counted in listed)
  std::vector<DndLineError> errors;  // the first ones, up to the reader's limit
  std::vector<std::string> warnings;
};

// Parses registry text. Never fails: every line that is wrong is reported.
DndFileRead ParseDndRegistryText(std::string_view text, size_t max_errors = 100);
// Maps the file at `path` and parses it. Fails only when the file cannot be read.
core::Result<DndFileRead> ReadDndRegistryFile(const std::string& path, size_t max_errors = 100);

// How a file changes the registry.
enum class DndLoadMode {
  kReplace,  // the file is the whole registry
  kAdd,      // the file's numbers are added; a listed number takes the file's preference
  kRemove,   // the file's numbers are taken off (their preferences are ignored)
};
std::string_view DndLoadModeName(DndLoadMode mode);  // "replace", "add", "remove"

DndEntries MergeDndEntries(DndEntries current, const DndEntries& update, DndLoadMode mode);

// Writes a test registry of `count` distinct Indian mobile numbers in increasing order;
// about `partial_fraction` of them carry a partial preference. Deterministic per seed.
void WriteGeneratedDndRegistry(std::ostream& out, uint64_t count, uint64_t seed,
                               double partial_fraction);

}  // namespace vaarta::compliance
