#include "campaigns/script_checker.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include "campaigns/script.h"
#include "campaigns/script_generator.h"
#include "script_test_helpers.h"

namespace vaarta::campaigns {
namespace {

using nlohmann::json;
using test::Codes;
using test::StepOf;

// The template script for test::GoldLoans: the valid base each test breaks in one place.
json Base() { return GenerateTemplateScript(test::GoldLoans()); }

bool Has(const std::vector<ScriptFinding>& findings, const std::string& code,
         const std::string& step = "*", const std::string& language = "*") {
  return std::any_of(findings.begin(), findings.end(), [&](const ScriptFinding& f) {
    return f.code == code && (step == "*" || f.step == step) &&
           (language == "*" || f.language == language);
  });
}

std::vector<ScriptFinding> Check(const json& script, const Campaign& campaign = test::GoldLoans()) {
  return CheckScript(script, campaign);
}

const ScriptFinding* Find(const std::vector<ScriptFinding>& findings, const std::string& code) {
  for (const auto& f : findings) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

// ---- the valid base ------------------------------------------------------------------

TEST(ScriptChecker, TemplateScriptHasNoFindings) {
  auto findings = Check(Base());
  EXPECT_TRUE(findings.empty()) << Codes(findings);
  EXPECT_FALSE(HasErrors(findings));
}

TEST(ScriptChecker, FindingsSerialiseWithEveryField) {
  json script = Base();
  StepOf(script, "pitch")["lines"].erase("hi");
  auto findings = Check(script);
  const ScriptFinding* f = Find(findings, "missing_line");
  ASSERT_NE(f, nullptr) << Codes(findings);
  json j = f->ToJson();
  EXPECT_EQ(j["severity"], "error");
  EXPECT_EQ(j["code"], "missing_line");
  EXPECT_EQ(j["step"], "pitch");
  EXPECT_EQ(j["language"], "hi");
  EXPECT_NE(j["message"].get<std::string>().find("Hindi"), std::string::npos);
}

TEST(ScriptChecker, WarningsAloneAreNotErrors) {
  json script = Base();
  StepOf(script, "goodbye")["default"] = "greeting";
  auto findings = Check(script);
  ASSERT_TRUE(Has(findings, "end_step_has_transitions", "goodbye")) << Codes(findings);
  EXPECT_FALSE(HasErrors(findings)) << Codes(findings);
}

// ---- schema --------------------------------------------------------------------------

TEST(ScriptChecker, RefusesANonObject) {
  EXPECT_TRUE(Has(Check(json::array()), "schema_type"));
  EXPECT_TRUE(Has(Check(json("hello")), "schema_type"));
}

TEST(ScriptChecker, RequiresVersionStartAndSteps) {
  for (const char* field : {"version", "start", "steps"}) {
    json script = Base();
    script.erase(field);
    EXPECT_TRUE(Has(Check(script), "schema_required")) << field;
  }
}

TEST(ScriptChecker, RefusesUnknownFields) {
  json script = Base();
  script["title"] = "My script";
  EXPECT_TRUE(Has(Check(script), "schema_unknown_field", ""));
  script = Base();
  StepOf(script, "pitch")["note"] = "x";
  EXPECT_TRUE(Has(Check(script), "schema_unknown_field", "pitch"));
}

TEST(ScriptChecker, RefusesOtherVersions) {
  json script = Base();
  script["version"] = 2;
  EXPECT_TRUE(Has(Check(script), "unsupported_version"));
}

TEST(ScriptChecker, RefusesValuesOfTheWrongType) {
  json script = Base();
  StepOf(script, "pitch")["end"] = "yes";
  EXPECT_TRUE(Has(Check(script), "schema_type", "pitch"));
  script = Base();
  StepOf(script, "pitch")["lines"] = "Hello";
  EXPECT_TRUE(Has(Check(script), "schema_type", "pitch"));
  script = Base();
  script["steps"] = json::object();
  EXPECT_TRUE(Has(Check(script), "schema_type"));
}

TEST(ScriptChecker, RefusesAScriptWithoutSteps) {
  json script = Base();
  script["steps"] = json::array();
  EXPECT_TRUE(Has(Check(script), "empty_script"));
}

TEST(ScriptChecker, RequiresStepIdKindAndLines) {
  json script = Base();
  StepOf(script, "pitch").erase("kind");
  EXPECT_TRUE(Has(Check(script), "schema_required", "pitch"));
  script = Base();
  StepOf(script, "pitch").erase("id");
  EXPECT_TRUE(Has(Check(script), "schema_required", ""));
}

TEST(ScriptChecker, RefusesBadStepIds) {
  json script = Base();
  StepOf(script, "pitch")["id"] = "Pitch Step";
  EXPECT_TRUE(Has(Check(script), "invalid_step_id", "Pitch Step"));
}

TEST(ScriptChecker, RefusesUnknownKindsActionsIntentsAndLanguages) {
  json script = Base();
  StepOf(script, "pitch")["kind"] = "sales";
  EXPECT_TRUE(Has(Check(script), "unknown_step_kind", "pitch"));
  script = Base();
  StepOf(script, "goodbye")["action"] = "hang_up";
  EXPECT_TRUE(Has(Check(script), "unknown_action", "goodbye"));
  script = Base();
  StepOf(script, "pitch")["transitions"]["maybe"] = "close";
  EXPECT_TRUE(Has(Check(script), "unknown_intent", "pitch"));
  script = Base();
  script["global_transitions"]["swearing"] = "goodbye";
  EXPECT_TRUE(Has(Check(script), "unknown_intent", ""));
  script = Base();
  StepOf(script, "pitch")["lines"]["ta"] = "வணக்கம்";
  EXPECT_TRUE(Has(Check(script), "unknown_language", "pitch", "ta"));
}

TEST(ScriptChecker, RefusesOverlongLines) {
  json script = Base();
  StepOf(script, "pitch")["lines"]["hi"] = std::string(kMaxLineChars + 1, 'a');
  EXPECT_TRUE(Has(Check(script), "line_too_long", "pitch", "hi"));
  // Characters, not bytes: 600 Devanagari letters are 1800 bytes but a short line.
  std::string hindi;
  for (int i = 0; i < 600; ++i) hindi += "क";
  script = Base();
  StepOf(script, "pitch")["lines"]["hi"] = hindi + " {business} {goal}";
  EXPECT_FALSE(Has(Check(script), "line_too_long"));
}

// ---- structure -----------------------------------------------------------------------

TEST(ScriptChecker, FindsDuplicateStepIds) {
  json script = Base();
  json copy = StepOf(script, "goodbye");
  script["steps"].push_back(copy);
  EXPECT_TRUE(Has(Check(script), "duplicate_step_id", "goodbye"));
}

TEST(ScriptChecker, FindsAMissingStart) {
  json script = Base();
  script["start"] = "hello";
  EXPECT_TRUE(Has(Check(script), "start_not_found"));
}

TEST(ScriptChecker, WarnsWhenTheStartIsNoGreeting) {
  json script = Base();
  StepOf(script, "greeting")["kind"] = "qualify";
  auto findings = Check(script);
  const ScriptFinding* f = Find(findings, "start_not_greeting");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_EQ(f->severity, "warning");
}

TEST(ScriptChecker, FindsTransitionsToUnknownSteps) {
  json script = Base();
  StepOf(script, "pitch")["transitions"]["affirm"] = "book";
  EXPECT_TRUE(Has(Check(script), "unknown_step", "pitch"));
  script = Base();
  StepOf(script, "pitch")["default"] = "book";
  EXPECT_TRUE(Has(Check(script), "unknown_step", "pitch"));
  script = Base();
  script["global_transitions"]["goodbye"] = "bye";
  EXPECT_TRUE(Has(Check(script), "unknown_step", ""));
}

TEST(ScriptChecker, FindsUnreachableSteps) {
  json script = Base();
  script["steps"].push_back({{"id", "extra"},
                             {"kind", "goodbye"},
                             {"lines", {{"en", "Bye."}, {"hi", "नमस्ते।"}}},
                             {"action", "end_call"},
                             {"end", true}});
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "unreachable_step", "extra")) << Codes(findings);
  EXPECT_EQ(std::count_if(findings.begin(), findings.end(),
                          [](const auto& f) { return f.code == "unreachable_step"; }),
            1);
}

TEST(ScriptChecker, StepsReachedOnlyThroughGlobalTransitionsAreReachable) {
  json script = Base();
  EXPECT_FALSE(Has(Check(script), "unreachable_step"));
  script["global_transitions"].erase("objection_trust");
  EXPECT_TRUE(Has(Check(script), "unreachable_step", "objection_trust"));
}

TEST(ScriptChecker, FindsIntentsWithNoWayOn) {
  json script = Base();
  StepOf(script, "qualify").erase("default");
  auto findings = Check(script);
  const ScriptFinding* f = Find(findings, "intent_not_handled");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_EQ(f->step, "qualify");
  EXPECT_NE(f->message.find("greeting"), std::string::npos) << f->message;
  // Routed by the step or globally, or answered in place: not listed.
  EXPECT_EQ(f->message.find("affirm"), std::string::npos) << f->message;
  EXPECT_EQ(f->message.find("opt_out"), std::string::npos) << f->message;
  EXPECT_EQ(f->message.find("repeat"), std::string::npos) << f->message;
}

TEST(ScriptChecker, FindsDeadEnds) {
  json script = Base();
  StepOf(script, "qualify").erase("default");
  StepOf(script, "qualify")["transitions"] = json::object();
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "dead_end_step", "qualify")) << Codes(findings);
  EXPECT_FALSE(Has(findings, "intent_not_handled", "qualify"));
}

TEST(ScriptChecker, RequiresAStepThatEnds) {
  json script = Base();
  for (auto& step : script["steps"]) step["end"] = false;
  EXPECT_TRUE(Has(Check(script), "no_terminal_step"));
}

TEST(ScriptChecker, RequiresCallEndingActionsToEnd) {
  json script = Base();
  StepOf(script, "transfer")["end"] = false;
  StepOf(script, "transfer")["default"] = "goodbye";
  EXPECT_TRUE(Has(Check(script), "action_must_end", "transfer"));
}

TEST(ScriptChecker, RequiresEveryLanguageTheCampaignSpeaks) {
  json script = Base();
  StepOf(script, "pitch")["lines"].erase("hi");
  StepOf(script, "close")["lines"]["en"] = "   ";
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "missing_line", "pitch", "hi")) << Codes(findings);
  EXPECT_TRUE(Has(findings, "missing_line", "close", "en")) << Codes(findings);

  Campaign english = test::GoldLoans();
  english.languages = "en";
  EXPECT_FALSE(Has(CheckScript(script, english), "missing_line", "pitch", "hi"));
  EXPECT_TRUE(Has(CheckScript(script, english), "missing_line", "close", "en"));
  Campaign hindi = test::GoldLoans();
  hindi.languages = "hi";
  EXPECT_TRUE(Has(CheckScript(script, hindi), "missing_line", "pitch", "hi"));
  EXPECT_FALSE(Has(CheckScript(script, hindi), "missing_line", "close", "en"));
}

TEST(ScriptChecker, WarnsAboutHindiLinesNotInDevanagari) {
  json script = Base();
  StepOf(script, "qualify")["lines"]["hi"] = "Kya aap abhi aisa kuch dhoondh rahe hain?";
  auto findings = Check(script);
  const ScriptFinding* f = Find(findings, "hindi_not_devanagari");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_EQ(f->severity, "warning");
  EXPECT_EQ(f->step, "qualify");
}

TEST(ScriptChecker, FindsUnknownAndMalformedPlaceholders) {
  json script = Base();
  StepOf(script, "close")["lines"]["en"] = "The price is {price}. Shall we {goal}?";
  EXPECT_TRUE(Has(Check(script), "unknown_placeholder", "close", "en"));
  script = Base();
  StepOf(script, "close")["lines"]["hi"] = "क्या हम {goal आगे बढ़ें?";
  EXPECT_TRUE(Has(Check(script), "unknown_placeholder", "close", "hi"));
  script = Base();
  StepOf(script, "close")["lines"]["en"] = "Shall we go ahead} with {goal}?";
  EXPECT_TRUE(Has(Check(script), "unknown_placeholder", "close", "en"));
}

TEST(ScriptChecker, AllowsTheAnswerPlaceholderOnlyWhereTheEngineFillsIt) {
  json script = Base();
  StepOf(script, "pitch")["lines"]["en"] = "{answer} Shall we {goal}?";
  EXPECT_TRUE(Has(Check(script), "misplaced_placeholder", "pitch", "en"));
  EXPECT_FALSE(Has(Check(Base()), "misplaced_placeholder"));  // answer and objection steps
}

TEST(ScriptChecker, RequiresOptOutHandledEverywhere) {
  json script = Base();
  script["global_transitions"].erase("opt_out");
  auto findings = Check(script);
  const ScriptFinding* f = Find(findings, "opt_out_not_handled");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_EQ(f->step, "");  // one finding for the whole script
  EXPECT_NE(f->message.find("global_transitions"), std::string::npos);

  StepOf(script, "greeting")["transitions"]["opt_out"] = "opt_out";
  findings = Check(script);
  EXPECT_FALSE(Has(findings, "opt_out_not_handled", "greeting"));
  EXPECT_TRUE(Has(findings, "opt_out_not_handled", "pitch")) << Codes(findings);
  EXPECT_FALSE(Has(findings, "opt_out_not_handled", "goodbye"));  // ends the call
}

TEST(ScriptChecker, ADefaultDoesNotCountAsHandlingOptOut) {
  json script = Base();
  script["global_transitions"].erase("opt_out");
  for (auto& step : script["steps"]) {
    if (!step["end"].get<bool>()) step["default"] = "opt_out";
  }
  EXPECT_TRUE(Has(Check(script), "opt_out_not_handled"));
}

TEST(ScriptChecker, RequiresOptOutToWriteDoNotCallAndEnd) {
  json script = Base();
  script["global_transitions"]["opt_out"] = "goodbye";
  EXPECT_TRUE(Has(Check(script), "opt_out_target_invalid", ""));
  script = Base();
  StepOf(script, "pitch")["transitions"]["opt_out"] = "close";
  EXPECT_TRUE(Has(Check(script), "opt_out_target_invalid", "pitch"));
  script = Base();
  StepOf(script, "opt_out")["end"] = false;
  StepOf(script, "opt_out")["default"] = "goodbye";
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "opt_out_target_invalid")) << Codes(findings);
}

TEST(ScriptChecker, RequiresWrongNumberToMarkTheNumberAndEnd) {
  json script = Base();
  script["global_transitions"].erase("wrong_number");
  EXPECT_TRUE(Has(Check(script), "wrong_number_not_handled"));
  script = Base();
  script["global_transitions"]["wrong_number"] = "goodbye";
  EXPECT_TRUE(Has(Check(script), "wrong_number_target_invalid"));
}

TEST(ScriptChecker, RequiresAnswersToIsBotAndHowGotNumber) {
  json script = Base();
  script["global_transitions"].erase("is_bot");
  EXPECT_TRUE(Has(Check(script), "is_bot_not_handled"));
  script = Base();
  script["global_transitions"].erase("how_got_number");
  EXPECT_TRUE(Has(Check(script), "how_got_number_not_handled"));
}

TEST(ScriptChecker, StructureAloneSkipsCompliance) {
  json script = Base();
  StepOf(script, "greeting")["lines"] = {{"en", "Hello!"}, {"hi", "नमस्ते!"}};
  StepOf(script, "pitch")["lines"]["en"] = "Guaranteed returns, risk-free!";
  auto findings = CheckScriptStructure(script, "auto");
  EXPECT_TRUE(findings.empty()) << Codes(findings);
  EXPECT_TRUE(HasErrors(Check(script)));
}

// ---- the greeting's disclosures ------------------------------------------------------

TEST(ScriptChecker, GreetingMustNameTheBusiness) {
  json script = Base();
  auto& en = StepOf(script, "greeting")["lines"]["en"];
  en = std::regex_replace(en.get<std::string>(), std::regex("\\{business\\}"), "our company");
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "missing_disclosure_business", "greeting", "en")) << Codes(findings);
  EXPECT_FALSE(Has(findings, "missing_disclosure_business", "greeting", "hi"));
  // The name written out counts, in any case and punctuation.
  en = std::regex_replace(en.get<std::string>(), std::regex("our company"), "SHARMA GOLD-LOANS");
  EXPECT_FALSE(Has(Check(script), "missing_disclosure_business"));
}

TEST(ScriptChecker, GreetingCannotNameABusinessTheCampaignLacks) {
  Campaign campaign = test::GoldLoans();
  campaign.business_name = "";
  auto findings = CheckScript(Base(), campaign);
  const ScriptFinding* f = Find(findings, "missing_disclosure_business");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_NE(f->message.find("business name"), std::string::npos);
}

TEST(ScriptChecker, GreetingMustStateThePurpose) {
  json script = Base();
  auto& hi = StepOf(script, "greeting")["lines"]["hi"];
  std::string without = std::regex_replace(hi.get<std::string>(), std::regex("\\{goal\\}"), "");
  hi = without;
  EXPECT_TRUE(Has(Check(script), "missing_disclosure_purpose", "greeting", "hi"));
  // Plain words of the goal count, with words in between.
  hi = without + " आप gold loan के लिए appraisal visit book कर सकते हैं।";
  EXPECT_FALSE(Has(Check(script), "missing_disclosure_purpose")) << Codes(Check(script));
}

TEST(ScriptChecker, GreetingMustSayTheCallIsRecorded) {
  json script = Base();
  auto& lines = StepOf(script, "greeting")["lines"];
  lines["en"] = std::regex_replace(lines["en"].get<std::string>(),
                                   std::regex("This call is recorded\\. "), "");
  lines["hi"] = std::regex_replace(lines["hi"].get<std::string>(),
                                   std::regex("यह कॉल रिकॉर्ड की जा रही है। "), "");
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "missing_disclosure_recorded", "greeting", "en")) << Codes(findings);
  EXPECT_TRUE(Has(findings, "missing_disclosure_recorded", "greeting", "hi")) << Codes(findings);
  // Other spellings count.
  lines["hi"] = lines["hi"].get<std::string>() + " यह कॉल रिकार्ड होती है।";
  lines["en"] = lines["en"].get<std::string>() + " We are RECORDING this call.";
  EXPECT_FALSE(Has(Check(script), "missing_disclosure_recorded"));
}

TEST(ScriptChecker, GreetingMustSayItIsAnAutomatedAssistant) {
  json script = Base();
  auto& lines = StepOf(script, "greeting")["lines"];
  lines["en"] =
      "Hello, this is {agent} from {business}. The reason for my call: {goal}. This "
      "call is recorded. Say \"stop calling\" and we will not call again.";
  lines["hi"] =
      "नमस्ते, मैं {business} से {agent} बोल रही हूँ। कॉल का कारण: {goal}। यह कॉल "
      "रिकॉर्ड की जा रही है। कॉल बंद करवाने के लिए \"कॉल मत करो\" कहिए।";
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "missing_disclosure_automated", "greeting", "en")) << Codes(findings);
  EXPECT_TRUE(Has(findings, "missing_disclosure_automated", "greeting", "hi")) << Codes(findings);
  lines["hi"] = lines["hi"].get<std::string>() + " मैं एक AI सहायक हूँ।";
  lines["en"] = lines["en"].get<std::string>() + " I am a virtual assistant.";
  findings = Check(script);
  EXPECT_FALSE(Has(findings, "missing_disclosure_automated")) << Codes(findings);
}

TEST(ScriptChecker, GreetingMustOfferTheWayToStopCalls) {
  json script = Base();
  auto& lines = StepOf(script, "greeting")["lines"];
  lines["en"] =
      "Hello, this is {agent}, an automated assistant of {business}. The reason for "
      "my call: {goal}. This call is recorded.";
  lines["hi"] =
      "नमस्ते, मैं {business} की ओर से एक स्वचालित सहायक हूँ। कॉल का कारण: {goal}। "
      "यह कॉल रिकॉर्ड की जा रही है।";
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "missing_disclosure_opt_out", "greeting", "en")) << Codes(findings);
  EXPECT_TRUE(Has(findings, "missing_disclosure_opt_out", "greeting", "hi")) << Codes(findings);
  lines["en"] = lines["en"].get<std::string>() +
                " If you'd rather not hear from us, just say "
                "don't call me.";
  lines["hi"] = lines["hi"].get<std::string>() + " अगर आप कॉल नहीं चाहते तो बताइए।";
  findings = Check(script);
  EXPECT_FALSE(Has(findings, "missing_disclosure_opt_out")) << Codes(findings);
}

TEST(ScriptChecker, GreetingIsCheckedOnlyInTheCampaignsLanguages) {
  json script = Base();
  StepOf(script, "greeting")["lines"]["hi"] = "नमस्ते!";
  Campaign english = test::GoldLoans();
  english.languages = "en";
  auto findings = CheckScript(script, english);
  EXPECT_FALSE(HasErrors(findings)) << Codes(findings);
  EXPECT_TRUE(Has(Check(script), "missing_disclosure_recorded", "greeting", "hi"));
}

// ---- honest answers ------------------------------------------------------------------

TEST(ScriptChecker, TheAnswerToIsBotMustSayItIsAutomated) {
  json script = Base();
  StepOf(script, "answer_is_bot")["lines"]["en"] = "I'm here to help you. Shall I continue?";
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, "is_bot_answer_not_honest", "answer_is_bot", "en")) << Codes(findings);
  EXPECT_FALSE(Has(findings, "is_bot_answer_not_honest", "answer_is_bot", "hi"));
}

TEST(ScriptChecker, WarnsWhenTheAnswerToHowGotNumberOmitsTheSource) {
  json script = Base();
  StepOf(script, "answer_source")["lines"]["en"] = "We found it. Shall I continue?";
  auto findings = Check(script);
  const ScriptFinding* f = Find(findings, "source_answer_without_lead_source");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_EQ(f->severity, "warning");
  EXPECT_EQ(f->language, "en");
}

TEST(ScriptChecker, WarnsWhenTheOfferPlaceholderHasNoOffer) {
  Campaign campaign = test::GoldLoans();
  campaign.offer = "";
  auto findings = CheckScript(Base(), campaign);  // Base's pitch uses {offer}
  const ScriptFinding* f = Find(findings, "empty_offer_placeholder");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_EQ(f->severity, "warning");
  EXPECT_EQ(f->step, "pitch");
}

// ---- forbidden promises --------------------------------------------------------------

struct PromiseCase {
  const char* code;
  const char* text;
};

class ScriptCheckerForbidden : public ::testing::TestWithParam<PromiseCase> {};

TEST_P(ScriptCheckerForbidden, FindsThePromiseInAnyStep) {
  json script = Base();
  auto& line = StepOf(script, "close")["lines"]["en"];
  line = line.get<std::string>() + " " + GetParam().text;
  auto findings = Check(script);
  EXPECT_TRUE(Has(findings, GetParam().code, "close", "en")) << GetParam().text << "\n"
                                                             << Codes(findings);
  ASSERT_EQ(FindForbiddenPromises(GetParam().text), std::vector<std::string>{GetParam().code});
}

INSTANTIATE_TEST_SUITE_P(
    ScriptPhrases, ScriptCheckerForbidden,
    ::testing::Values(PromiseCase{"forbidden_guarantee",
                                  "You get guaranteed returns of 12% a year."},
                      PromiseCase{"forbidden_guarantee", "We guarantee 15 % returns."},
                      PromiseCase{"forbidden_guarantee", "Your returns are guaranteed."},
                      PromiseCase{"forbidden_guarantee", "It is completely RISK-FREE."},
                      PromiseCase{"forbidden_guarantee", "It is 100% guaranteed."},
                      PromiseCase{"forbidden_guarantee", "There is zero risk to your money."},
                      PromiseCase{"forbidden_guarantee", "इसमें गारंटीड रिटर्न मिलता है।"},
                      PromiseCase{"forbidden_guarantee", "१००% गारंटी है।"},
                      PromiseCase{"forbidden_guarantee", "इसमें कोई जोखिम नहीं है।"},
                      PromiseCase{"forbidden_guarantee", "Isme munafa pakka hai."},
                      PromiseCase{"forbidden_guarantee", "Return ki guarantee hai, koi risk nahi."},
                      PromiseCase{"forbidden_guarantee", "Aapka paisa double ho jayega."},
                      PromiseCase{"forbidden_urgency", "This offer ends today!"},
                      PromiseCase{"forbidden_urgency", "It is available only today."},
                      PromiseCase{"forbidden_urgency", "This is your last chance."},
                      PromiseCase{"forbidden_urgency", "Hurry, act now."},
                      PromiseCase{"forbidden_urgency", "यह ऑफ़र सिर्फ आज के लिए है।"},
                      PromiseCase{"forbidden_urgency", "यह आखिरी मौका है।"},
                      PromiseCase{"forbidden_urgency", "Sirf aaj ke liye, jaldi karo!"},
                      PromiseCase{"forbidden_impersonation", "I am a human, not a machine."},
                      PromiseCase{"forbidden_impersonation", "Don't worry, I'm a real person."},
                      PromiseCase{"forbidden_impersonation", "I am not a robot."},
                      PromiseCase{"forbidden_impersonation", "Main insaan hoon, bot nahi."},
                      PromiseCase{"forbidden_impersonation", "मैं इंसान हूँ।"},
                      PromiseCase{"forbidden_impersonation", "मैं इंसान हूं।"},
                      PromiseCase{"forbidden_impersonation", "मैं रोबोट नहीं हूँ।"}));

TEST(ScriptChecker, LeavesHonestSentencesAlone) {
  for (const char* text : {
           "There is no hurry; take your time.",
           "I am an automated assistant, not a person.",
           "मैं एक स्वचालित सहायक हूँ, कोई इंसान नहीं।",
           "Returns are processed within seven days.",
           "Market-linked returns are not guaranteed.",
           "The offer is valid until the end of March.",
           "We will call you back only if you ask.",
           "Today is a good day to ask questions.",
           "आज कॉल करने के लिए धन्यवाद।",
       }) {
    EXPECT_TRUE(FindForbiddenPromises(text).empty()) << text;
  }
}

TEST(ScriptChecker, SeesPromisesMadeThroughTheCampaignsOffer) {
  Campaign campaign = test::GoldLoans();
  campaign.offer = "Guaranteed returns of 12% if you join today only";
  auto findings = CheckScript(Base(), campaign);  // Base's pitch says {offer}
  const ScriptFinding* f = Find(findings, "forbidden_guarantee");
  ASSERT_NE(f, nullptr) << Codes(findings);
  EXPECT_EQ(f->step, "pitch");
  EXPECT_NE(f->message.find("campaign"), std::string::npos) << f->message;
  EXPECT_TRUE(Has(findings, "forbidden_urgency", "pitch"));
}

// ---- the published schema ------------------------------------------------------------

// Enough of JSON Schema 2020-12 for docs/script-schema.json, so a test can hold the
// document and the checker to the same rules.
class MiniSchema {
 public:
  explicit MiniSchema(json schema) : root_(std::move(schema)) {}
  bool Valid(const json& value) const { return Valid(root_, value); }

 private:
  bool Valid(const json& schema, const json& value) const {
    if (schema.contains("$ref")) {
      std::string ref = schema["$ref"];
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0) throw std::logic_error("unsupported $ref " + ref);
      if (!Valid(root_["$defs"][ref.substr(prefix.size())], value)) return false;
    }
    if (schema.contains("const") && value != schema["const"]) return false;
    if (schema.contains("enum")) {
      const auto& options = schema["enum"];
      if (std::find(options.begin(), options.end(), value) == options.end()) return false;
    }
    if (schema.contains("type") && !HasType(schema["type"], value)) return false;
    if (value.is_string()) {
      std::string text = value;
      if (schema.contains("pattern") &&
          !std::regex_search(text, std::regex(schema["pattern"].get<std::string>()))) {
        return false;
      }
      size_t chars = std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      });
      if (schema.contains("maxLength") && chars > schema["maxLength"].get<size_t>()) return false;
    }
    if (value.is_array()) {
      if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
        return false;
      }
      if (schema.contains("items")) {
        for (const auto& item : value) {
          if (!Valid(schema["items"], item)) return false;
        }
      }
    }
    if (value.is_object()) {
      for (const auto& field : schema.value("required", json::array())) {
        if (!value.contains(field.get<std::string>())) return false;
      }
      for (const auto& [key, item] : value.items()) {
        if (schema.contains("propertyNames") && !Valid(schema["propertyNames"], key)) return false;
        if (schema.contains("properties") && schema["properties"].contains(key)) {
          if (!Valid(schema["properties"][key], item)) return false;
        } else if (schema.contains("additionalProperties")) {
          const json& extra = schema["additionalProperties"];
          if (extra.is_boolean() ? !extra.get<bool>() : !Valid(extra, item)) return false;
        }
      }
    }
    return true;
  }

  static bool HasType(const json& type, const json& value) {
    std::string t = type;
    if (t == "object") return value.is_object();
    if (t == "array") return value.is_array();
    if (t == "string") return value.is_string();
    if (t == "boolean") return value.is_boolean();
    if (t == "integer") return value.is_number_integer();
    if (t == "number") return value.is_number();
    throw std::logic_error("unsupported type " + t);
  }

  json root_;
};

json PublishedSchema() {
  std::ifstream in(VAARTA_SCRIPT_SCHEMA);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

TEST(ScriptCheckerSchema, PublishedSchemaListsTheSameNames) {
  json schema = PublishedSchema();
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  auto names = [](const json& list) { return list.get<std::vector<std::string>>(); };
  auto expect = [](const auto& array) {
    return std::vector<std::string>(array.begin(), array.end());
  };
  EXPECT_EQ(names(schema["$defs"]["intent"]["enum"]), expect(kIntents));
  EXPECT_EQ(names(schema["$defs"]["step"]["properties"]["kind"]["enum"]), expect(kStepKinds));
  EXPECT_EQ(names(schema["$defs"]["step"]["properties"]["action"]["enum"]), expect(kStepActions));
  EXPECT_EQ(schema["$defs"]["line"]["maxLength"], kMaxLineChars);
}

TEST(ScriptCheckerSchema, TheSchemaAndTheCheckerAgree) {
  MiniSchema schema(PublishedSchema());
  EXPECT_TRUE(schema.Valid(Base()));
  const std::vector<std::pair<std::string, std::function<void(json&)>>> breaks = {
      {"no version", [](json& s) { s.erase("version"); }},
      {"version 2", [](json& s) { s["version"] = 2; }},
      {"unknown field", [](json& s) { s["title"] = "x"; }},
      {"no steps", [](json& s) { s["steps"] = json::array(); }},
      {"bad id", [](json& s) { StepOf(s, "pitch")["id"] = "Pitch"; }},
      {"bad kind", [](json& s) { StepOf(s, "pitch")["kind"] = "sales"; }},
      {"bad action", [](json& s) { StepOf(s, "goodbye")["action"] = "hang_up"; }},
      {"bad intent", [](json& s) { s["global_transitions"]["maybe"] = "goodbye"; }},
      {"bad language", [](json& s) { StepOf(s, "pitch")["lines"]["ta"] = "x"; }},
      {"line not text", [](json& s) { StepOf(s, "pitch")["lines"]["en"] = 5; }},
      {"end not bool", [](json& s) { StepOf(s, "pitch")["end"] = 1; }},
      {"long line", [](json& s) { StepOf(s, "pitch")["lines"]["en"] = std::string(1001, 'a'); }},
      {"step field", [](json& s) { StepOf(s, "pitch")["note"] = "x"; }},
  };
  for (const auto& [name, apply] : breaks) {
    json script = Base();
    apply(script);
    EXPECT_FALSE(schema.Valid(script)) << name;
    std::vector<ScriptSchemaProblem> problems;
    ReadScript(script, &problems);
    EXPECT_FALSE(problems.empty()) << name;
  }
}

TEST(ScriptCheckerSchema, ParseScriptReadsBackWhatTheGeneratorWrote) {
  auto parsed = ParseScript(Base());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(ScriptToJson(*parsed), Base());
  EXPECT_EQ(parsed->start, "greeting");
  const ScriptStep* pitch = parsed->Find("pitch");
  ASSERT_NE(pitch, nullptr);
  EXPECT_EQ(parsed->Next(*pitch, "opt_out"), "opt_out");  // global
  EXPECT_EQ(parsed->Next(*pitch, "affirm"), "close");     // the step's own
  EXPECT_EQ(parsed->Next(*pitch, "greeting"), "close");   // the default

  json broken = Base();
  StepOf(broken, "pitch")["kind"] = "sales";
  auto refused = ParseScript(broken);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail_code, "unknown_step_kind");
}

}  // namespace
}  // namespace vaarta::campaigns
