#pragma once
// Campaign: what a business asks the agent to do with a set of leads: its goal and
// facts, the script the agent follows, how it may call (class, NCPR category, window,
// pacing, attempt policy, caller identity and DLT registration) and its lifecycle state.
// The strict values of compliance-india.md are the defaults; every field a manager can
// loosen is here so that the pre-dial gate and the dashboard read one definition.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vaarta::campaigns {

// compliance-india.md section 1. Promotional unless declared otherwise (with a reason).
enum class CallClass { kPromotional, kService, kTransactional };
std::string_view CallClassName(CallClass value);  // "promotional", "service", "transactional"
std::optional<CallClass> ParseCallClass(std::string_view text);

// The consent-ledger purpose a campaign's calls fall under: "marketing_calls" for
// promotional, "service_calls" for service, empty for transactional (a reply to the
// customer's own transaction). A withdrawal for that purpose stops the calls.
std::string_view ConsentPurposeFor(CallClass value);

enum class CampaignState { kDraft, kScheduled, kRunning, kPaused, kCompleted, kArchived };
std::string_view CampaignStateName(CampaignState value);  // "draft", "scheduled", ...
std::optional<CampaignState> ParseCampaignState(std::string_view text);

// When the campaign may call, in the callee's local time.
struct CallingWindow {
  int start_minute = 10 * 60;  // minutes after local midnight, inclusive
  int end_minute = 21 * 60;    // exclusive: a call may start at 20:59:59, not at 21:00:00
  uint8_t days = 0x7f;         // bit 0 = Monday ... bit 6 = Sunday
  bool skip_holidays = true;   // no calls on national holidays
};

// How often a number may be tried (compliance-india.md section 6). Counted per number
// across every campaign of the business.
struct AttemptPolicy {
  int max_per_day = 1;                               // in the callee's local calendar day
  int max_per_campaign = 3;                          // attempts of this campaign
  int64_t min_gap_after_unanswered_ms = 86'400'000;  // 24 h
  bool stop_after_refusal = true;                    // not interested / opted out: no more
};

// DLT registration of the sender (section 4).
struct DltRegistration {
  std::string entity_id;         // the principal entity id on the operator's DLT platform
  std::string caller_id_series;  // "140" (promotional), "1600" (service/transactional), ""
  std::string declaration_date;  // YYYY-MM-DD: the auto-dialer / robo declaration
  // An admin's audited reason to start an Indian promotional campaign without the above.
  std::string override_reason;
};

// A knowledge base entry: a fact the agent may state, or an objection and its answer.
struct KnowledgeEntry {
  std::string kind;    // "faq" or "objection"
  std::string intent;  // for objections: "objection_price", "objection_existing", ...
  std::string question_en, question_hi;
  std::string answer_en, answer_hi;
};

struct Campaign {
  int64_t id = 0;
  std::string name;
  std::string business_name;  // who is calling: named in the greeting
  std::string goal;           // "book a demo"
  std::string product_facts;  // free text: the only source of claims about the product
  std::string offer;
  CallClass call_class = CallClass::kPromotional;
  std::string call_class_reason;   // required for service and transactional
  int ncpr_category = 0;           // 1-8; 0 = not chosen yet (cannot start)
  std::string languages = "auto";  // "en", "hi" or "auto" (the lead's preference)
  nlohmann::json script;           // the conversation flow (campaigns/script.h)
  std::vector<KnowledgeEntry> knowledge;
  std::string provider = "simulator";  // telephony provider name
  std::string caller_id;               // E.164 or the 140/1600-series number
  DltRegistration dlt;
  CallingWindow window;
  int max_concurrent_calls = 10;
  double calls_per_second = 1.0;
  AttemptPolicy attempts;
  std::string start_date;         // YYYY-MM-DD (callee's local date); empty: from when started
  std::string end_date;           // YYYY-MM-DD inclusive; empty: until completed
  std::vector<int64_t> list_ids;  // leads of these lists
  nlohmann::json lead_filter;     // or a saved filter (the leads listing's query); null: none
  // What to do when a machine answers: "hang_up" or "leave_message".
  std::string voicemail_policy = "hang_up";
  // With leave_message: what is said after the beep ("" : a message built from the
  // business name and the opt-out sentence, campaigns' script checker keeps it compliant).
  std::string voicemail_message;
  // How the agent hears and speaks on a call: "gather" (a Say + Gather round trip per turn)
  // or "relay" (Twilio ConversationRelay over a WebSocket, token streaming, barge-in).
  std::string conversation_transport = "gather";
  // E.164 of the person a hot lead or a "human please" is handed to; "" : a callback from a
  // person is booked instead.
  std::string transfer_number;
  CampaignState state = CampaignState::kDraft;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string created_by;
  std::optional<int64_t> started_at;   // first entered scheduled or running
  std::optional<int64_t> finished_at;  // entered completed
};

}  // namespace vaarta::campaigns
