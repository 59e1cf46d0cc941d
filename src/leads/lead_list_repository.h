#pragma once
// LeadListRepository: all SQL about lead lists.
#include <optional>
#include <string>
#include <vector>

#include "leads/lead.h"
#include "storage/database.h"

namespace vaarta::leads {

class LeadListRepository {
 public:
  // Returns the list with this name, creating it when absent.
  LeadList FindOrCreate(storage::Transaction& tx, const std::string& name, const std::string& actor,
                        int64_t now);
  std::optional<LeadList> FindById(storage::Transaction& tx, int64_t id);
  std::optional<LeadList> FindByName(storage::Transaction& tx, const std::string& name);
  // All lists with their member counts, by name.
  std::vector<LeadList> List(storage::Transaction& tx);
};

}  // namespace vaarta::leads
