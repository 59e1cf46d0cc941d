#pragma once
// CampaignEnrollment: puts a campaign's leads into its queue (campaign_leads): the
// members of its lists and the leads its saved filter selects, erased leads left out.
// Runs when a campaign starts and when it resumes, so leads that joined a list since are
// picked up; leads already queued keep their place and history.
#include <cstdint>

#include "campaigns/campaign.h"
#include "storage/database.h"

namespace vaarta::campaigns {

class CampaignEnrollment {
 public:
  // Adds the leads not yet in the queue as fresh leads due now (state 'queued',
  // priority 1) and returns how many were added. One INSERT ... SELECT per source, so
  // the leads never pass through this process (a million take one statement).
  int64_t Enroll(storage::Transaction& tx, const Campaign& campaign, int64_t now);
  // How many leads the campaign's queue holds, in any state.
  int64_t Count(storage::Transaction& tx, int64_t campaign_id);
};

}  // namespace vaarta::campaigns
