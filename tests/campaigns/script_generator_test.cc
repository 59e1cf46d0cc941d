#include "campaigns/script_generator.h"

#include <gtest/gtest.h>

#include <regex>

#include "campaigns/script.h"
#include "script_test_helpers.h"

namespace vaarta::campaigns {
namespace {

using nlohmann::json;
using test::Codes;
using test::StepOf;

Campaign GoldLoans() {
  Campaign c;
  c.business_name = "Sharma Gold Loans";
  c.goal = "book a gold loan appraisal visit";
  c.product_facts =
      "Loans against gold jewellery, valued at the branch in 30 minutes. Interest from 0.9% "
      "a month. Your gold stays in insured vaults.";
  c.offer = "No processing fee in March";
  c.languages = "auto";
  return c;
}

std::vector<Campaign> VariedCampaigns() {
  std::vector<Campaign> out;
  out.push_back(GoldLoans());

  Campaign english = GoldLoans();
  english.languages = "en";
  out.push_back(english);

  Campaign hindi = GoldLoans();
  hindi.languages = "hi";
  hindi.business_name = "शर्मा ज्वेलर्स";
  hindi.goal = "शोरूम विज़िट बुक करना";
  hindi.product_facts = "हमारे पास हॉलमार्क वाले गहने हैं। हर गहने के साथ बिल मिलता है।";
  out.push_back(hindi);

  Campaign no_offer = GoldLoans();
  no_offer.offer = "";
  out.push_back(no_offer);

  Campaign nothing = GoldLoans();
  nothing.product_facts = "";
  nothing.offer = "";
  out.push_back(nothing);

  Campaign risky = GoldLoans();
  risky.name = "risky facts";
  risky.product_facts =
      "A mutual fund {SIP} plan.\nGuaranteed returns of 15% every year! Offer ends today. "
      "Managed by a SEBI-registered team.";
  risky.offer = "100% guaranteed, risk-free";
  out.push_back(risky);

  Campaign wordy = GoldLoans();
  wordy.product_facts = std::string(2000, 'x') + ". Second sentence.";
  out.push_back(wordy);

  Campaign demo = GoldLoans();
  demo.business_name = "Acme CRM (India) Pvt. Ltd.";
  demo.goal = "Demo";
  demo.product_facts = "A CRM for small shops: leads, follow-ups and WhatsApp reminders";
  demo.offer = "First month free";
  out.push_back(demo);
  return out;
}

TEST(ScriptGenerator, TemplatePassesTheCheckerForVariedCampaigns) {
  for (const Campaign& campaign : VariedCampaigns()) {
    json script = GenerateTemplateScript(campaign);
    auto findings = CheckScript(script, campaign);
    EXPECT_TRUE(findings.empty()) << campaign.business_name << " / " << campaign.product_facts
                                  << "\n"
                                  << Codes(findings);
    // Bilingual whatever the campaign speaks, so switching its languages later needs no
    // new script.
    EXPECT_TRUE(CheckScriptStructure(script, "auto").empty());
  }
}

TEST(ScriptGenerator, TemplateIsDeterministic) {
  EXPECT_EQ(GenerateTemplateScript(GoldLoans()), GenerateTemplateScript(GoldLoans()));
  Campaign other = GoldLoans();
  other.product_facts = "Something else entirely.";
  EXPECT_NE(GenerateTemplateScript(GoldLoans()), GenerateTemplateScript(other));
}

TEST(ScriptGenerator, TemplateCoversTheWholeConversation) {
  json script = GenerateTemplateScript(GoldLoans());
  auto parsed = ParseScript(script);
  ASSERT_TRUE(parsed) << parsed.error().message;
  std::set<std::string> kinds;
  for (const auto& step : parsed->steps) kinds.insert(step.kind);
  for (std::string_view kind : kStepKinds) EXPECT_TRUE(kinds.count(std::string(kind))) << kind;

  const ScriptStep& greeting = *parsed->Find(parsed->start);
  auto lands = [&](std::string_view intent) {
    return parsed->Find(parsed->Next(greeting, intent));
  };
  EXPECT_EQ(lands("objection_price")->kind, "objection");
  EXPECT_EQ(lands("objection_existing")->kind, "objection");
  EXPECT_EQ(lands("objection_trust")->kind, "objection");
  EXPECT_EQ(lands("opt_out")->action, "add_do_not_call");
  EXPECT_EQ(lands("wrong_number")->action, "mark_wrong_number");
  EXPECT_EQ(lands("callback_request")->action, "book_callback");
  EXPECT_EQ(lands("human_agent")->action, "transfer");
  // Prices and details come from the knowledge base at call time.
  for (auto intent : {"ask_price", "ask_details"}) {
    const ScriptStep* answer = lands(intent);
    EXPECT_EQ(answer->kind, "answer");
    EXPECT_NE(answer->lines.at("en").find("{answer}"), std::string::npos);
    EXPECT_NE(answer->lines.at("hi").find("{answer}"), std::string::npos);
  }
}

TEST(ScriptGenerator, InventsNoPrices) {
  Campaign campaign = GoldLoans();
  campaign.product_facts = "Gold loans at the branch, same day.";
  campaign.offer = "No processing fee";
  std::string text;
  const json script = GenerateTemplateScript(campaign);
  for (const auto& step : script["steps"]) {
    for (const auto& [language, line] : step["lines"].items()) text += line.get<std::string>();
  }
  EXPECT_FALSE(std::regex_search(text, std::regex("[0-9]"))) << text;
  EXPECT_EQ(text.find("₹"), std::string::npos);
  EXPECT_EQ(text.find("Rs"), std::string::npos);
}

TEST(ScriptGenerator, PitchQuotesTheFactsAndTheOffer) {
  json script = GenerateTemplateScript(GoldLoans());
  std::string en = StepOf(script, "pitch")["lines"]["en"];
  EXPECT_NE(en.find("Loans against gold jewellery"), std::string::npos) << en;
  EXPECT_NE(en.find("{offer}"), std::string::npos) << en;
  EXPECT_NE(en.find("{goal}"), std::string::npos) << en;
  std::string hi = StepOf(script, "pitch")["lines"]["hi"];
  EXPECT_NE(hi.find("{offer}"), std::string::npos) << hi;
}

TEST(ScriptGenerator, WithoutAnOfferThePitchDoesNotMentionOne) {
  Campaign campaign = GoldLoans();
  campaign.offer = "  ";
  std::string text = GenerateTemplateScript(campaign).dump();
  EXPECT_EQ(text.find("{offer}"), std::string::npos);
}

TEST(ScriptGenerator, LeavesForbiddenPromisesInTheFactsOut) {
  Campaign campaign = VariedCampaigns()[5];  // risky facts and offer
  json script = GenerateTemplateScript(campaign);
  std::string en = StepOf(script, "pitch")["lines"]["en"];
  EXPECT_NE(en.find("A mutual fund SIP plan."), std::string::npos) << en;  // braces gone
  EXPECT_NE(en.find("SEBI-registered"), std::string::npos) << en;
  EXPECT_EQ(en.find("Guaranteed"), std::string::npos) << en;
  EXPECT_EQ(en.find("ends today"), std::string::npos) << en;
  EXPECT_EQ(en.find("{offer}"), std::string::npos) << en;  // the offer itself is a promise
}

TEST(ScriptGenerator, WithoutAnEndpointUsesTheTemplate) {
  for (const auto& llm :
       {std::optional<LlmEndpoint>(), std::optional<LlmEndpoint>(LlmEndpoint{})}) {
    GeneratedScript generated = GenerateScript(GoldLoans(), llm);
    EXPECT_EQ(generated.source, "template");
    EXPECT_EQ(generated.script, GenerateTemplateScript(GoldLoans()));
    EXPECT_FALSE(HasErrors(generated.findings));
    EXPECT_TRUE(generated.notes.empty());
  }
}

// ---- repairing drafts (an in-process LLM; llm_script_test.cc runs the real client) ----

class CannedLlm : public LlmClient {
 public:
  explicit CannedLlm(std::string content) : content_(std::move(content)) {}
  core::Result<ChatCompletion> Complete(const ChatRequest& request) const override {
    last_request_ = request;
    ChatCompletion completion;
    completion.content = content_;
    completion.finish_reason = "stop";
    return completion;
  }
  mutable ChatRequest last_request_;

 private:
  std::string content_;
};

std::string Joined(const std::vector<std::string>& notes) {
  std::string out;
  for (const auto& n : notes) out += n + "\n";
  return out;
}

GeneratedScript Draft(const json& draft, const Campaign& campaign = GoldLoans()) {
  return GenerateScriptWith(campaign, CannedLlm(draft.dump()));
}

TEST(ScriptGenerator, AsksForJsonWithTheRulesAndTheFacts) {
  CannedLlm llm(GenerateTemplateScript(GoldLoans()).dump());
  GenerateScriptWith(GoldLoans(), llm);
  const ChatRequest& request = llm.last_request_;
  EXPECT_TRUE(request.json_object);
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[0].role, "system");
  EXPECT_NE(request.messages[0].content.find("add_do_not_call"), std::string::npos);
  EXPECT_NE(request.messages[0].content.find("recorded"), std::string::npos);
  EXPECT_NE(request.messages[0].content.find("Devanagari"), std::string::npos);
  EXPECT_EQ(request.messages[1].role, "user");
  EXPECT_NE(request.messages[1].content.find("Sharma Gold Loans"), std::string::npos);
  EXPECT_NE(request.messages[1].content.find("No processing fee in March"), std::string::npos);
}

TEST(ScriptGenerator, AcceptsACleanDraftInAFenceOrWrapper) {
  json draft = GenerateTemplateScript(GoldLoans());
  StepOf(draft, "qualify")["lines"]["en"] = "Do you own gold jewellery you might borrow against?";
  for (const std::string& content :
       {"```json\n" + draft.dump(2) + "\n```", json{{"script", draft}}.dump()}) {
    GeneratedScript generated = GenerateScriptWith(GoldLoans(), CannedLlm(content));
    EXPECT_EQ(generated.source, "llm") << Joined(generated.notes);
    EXPECT_EQ(generated.script, draft);
    EXPECT_TRUE(generated.findings.empty()) << Codes(generated.findings);
  }
}

TEST(ScriptGenerator, RepairsABareDraftFromTheTemplate) {
  // A small draft: a greeting without disclosures, a pitch, a goodbye; nothing for
  // opt-out, wrong numbers, "are you a robot" or "how did you get my number".
  json draft = {{"version", 1},
                {"start", "hello"},
                {"steps",
                 {{{"id", "hello"},
                   {"kind", "greeting"},
                   {"lines", {{"en", "Hi there!"}, {"hi", "नमस्ते!"}}},
                   {"transitions", {{"affirm", "pitch"}}}},
                  {{"id", "pitch"},
                   {"kind", "pitch"},
                   {"lines", {{"en", "Our gold loans are quick. Interested?"}}},
                   {"transitions", {{"affirm", "bye"}, {"deny", "bye"}}},
                   {"default", "bye"}},
                  {{"id", "bye"},
                   {"kind", "goodbye"},
                   {"lines", {{"en", "Thanks, bye."}, {"hi", "धन्यवाद।"}}},
                   {"action", "end_call"},
                   {"end", true}},
                  {{"id", "orphan"},
                   {"kind", "answer"},
                   {"lines", {{"en", "Never said."}, {"hi", "कभी नहीं।"}}},
                   {"default", "bye"}}}}};
  GeneratedScript generated = Draft(draft);
  ASSERT_EQ(generated.source, "llm_repaired") << Joined(generated.notes);
  EXPECT_FALSE(HasErrors(generated.findings)) << Codes(generated.findings);
  EXPECT_FALSE(HasErrors(CheckScript(generated.script, GoldLoans())));
  auto script = ParseScript(generated.script);
  ASSERT_TRUE(script);
  const ScriptStep& hello = *script->Find("hello");
  EXPECT_EQ(hello.lines, ParseScript(GenerateTemplateScript(GoldLoans()))->Find("greeting")->lines);
  EXPECT_EQ(script->Find(script->Next(hello, "opt_out"))->action, "add_do_not_call");
  EXPECT_EQ(script->Find(script->Next(hello, "wrong_number"))->action, "mark_wrong_number");
  // Imported answer steps lead back into the draft's own steps.
  const ScriptStep* is_bot = script->Find(script->Next(hello, "is_bot"));
  ASSERT_NE(is_bot, nullptr);
  EXPECT_EQ(is_bot->transitions.at("affirm"), "pitch");
  EXPECT_EQ(script->Find("orphan"), nullptr);
  std::string notes = Joined(generated.notes);
  EXPECT_NE(notes.find("missing_disclosure_recorded"), std::string::npos) << notes;
  EXPECT_NE(notes.find("opt_out"), std::string::npos) << notes;
  EXPECT_NE(notes.find("orphan"), std::string::npos) << notes;
}

TEST(ScriptGenerator, RepairsAWrongOptOutRoute) {
  json draft = GenerateTemplateScript(GoldLoans());
  draft["global_transitions"]["opt_out"] = "goodbye";  // says goodbye, writes nothing
  StepOf(draft, "pitch")["transitions"]["opt_out"] = "close";
  GeneratedScript generated = Draft(draft);
  ASSERT_EQ(generated.source, "llm_repaired") << Joined(generated.notes);
  EXPECT_EQ(generated.script["global_transitions"]["opt_out"], "opt_out");
  EXPECT_FALSE(StepOf(generated.script, "pitch")["transitions"].contains("opt_out"));
}

TEST(ScriptGenerator, LeavesOutUnknownFieldsAndMakesEndingActionsEnd) {
  json draft = GenerateTemplateScript(GoldLoans());
  draft["title"] = "Gold loans";
  StepOf(draft, "transfer")["end"] = false;
  StepOf(draft, "pitch")["transitions"]["maybe"] = "close";
  GeneratedScript generated = Draft(draft);
  ASSERT_EQ(generated.source, "llm_repaired") << Joined(generated.notes);
  EXPECT_FALSE(generated.script.contains("title"));
  EXPECT_TRUE(StepOf(generated.script, "transfer")["end"].get<bool>());
  EXPECT_FALSE(StepOf(generated.script, "pitch")["transitions"].contains("maybe"));
}

TEST(ScriptGenerator, ReplacesADishonestAnswerToIsBot) {
  json draft = GenerateTemplateScript(GoldLoans());
  StepOf(draft, "answer_is_bot")["lines"] = {{"en", "Ha ha, I am a real person! Shall I go on?"},
                                             {"hi", "मैं इंसान हूँ! आगे बताऊँ?"}};
  GeneratedScript generated = Draft(draft);
  ASSERT_EQ(generated.source, "llm_repaired") << Joined(generated.notes);
  EXPECT_EQ(StepOf(generated.script, "answer_is_bot")["lines"],
            StepOf(GenerateTemplateScript(GoldLoans()), "answer_is_bot")["lines"]);
}

TEST(ScriptGenerator, FallsBackWhenTheDraftIsUnusable) {
  for (const std::string& content :
       {std::string("[1, 2, 3]"),
        json{{"version", 1}, {"start", "a"}, {"steps", json::array()}}.dump(),
        json{{"version", 1},
             {"start", "a"},
             {"steps", {{{"id", "a"}, {"kind", "pitch"}, {"lines", {{"en", "Hi"}}}}}}}
            .dump()}) {
    GeneratedScript generated = GenerateScriptWith(GoldLoans(), CannedLlm(content));
    EXPECT_EQ(generated.source, "template_fallback") << content;
    EXPECT_EQ(generated.script, GenerateTemplateScript(GoldLoans()));
    EXPECT_FALSE(HasErrors(generated.findings));
    EXPECT_FALSE(generated.notes.empty());
  }
}

}  // namespace
}  // namespace vaarta::campaigns
