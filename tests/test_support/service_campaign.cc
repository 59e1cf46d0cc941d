#include "test_support/service_campaign.h"

#include "campaigns/script_generator.h"

namespace vaarta::testing {

nlohmann::json ServiceCampaignConfig(const std::string& name, int64_t list_id,
                                     const std::string& transport) {
  campaigns::Campaign c;
  c.business_name = "Acme Learning";
  c.goal = "book a free demo class";
  c.product_facts = "Online maths tutoring for classes 6 to 10. Fees: 1500 rupees a month.";
  c.offer = "a free demo class";
  c.ncpr_category = 3;
  return {{"name", name},
          {"business_name", c.business_name},
          {"goal", c.goal},
          {"product_facts", c.product_facts},
          {"offer", c.offer},
          {"ncpr_category", 3},
          {"call_class", "service"},
          {"call_class_reason", "each lead asked us to call back through the website enquiry form"},
          {"languages", "auto"},
          {"script", campaigns::GenerateTemplateScript(c)},
          {"caller_id", "+918041234567"},
          {"provider", "twilio"},
          {"dlt",
           {{"entity_id", "1101234567890"},
            {"caller_id_series", "1600"},
            {"declaration_date", "2026-10-01"}}},
          {"voicemail_policy", "leave_message"},
          {"conversation_transport", transport},
          {"list_ids", {list_id}}};
}

}  // namespace vaarta::testing
