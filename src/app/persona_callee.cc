#include "app/persona_callee.h"

namespace vaarta::app {

calls::ScriptedCallee::Reply PersonaCallee::Answer(const std::string& agent_said) {
  sim::PersonaReply reply = conversation_.Reply(agent_said);
  return {reply.say, reply.digits, reply.hang_up};
}

nlohmann::json TalkingPersonas() {
  const sim::PersonaCatalog catalog = sim::PersonaCatalog::BuiltIn();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& name : catalog.Names()) {
    const sim::Persona* p = catalog.Find(name);
    if (p && p->answer == sim::AnswerKind::kHuman) {
      out.push_back({{"name", p->name}, {"language", p->language}});
    }
  }
  return out;
}

std::unique_ptr<calls::ScriptedCallee> MakePersonaCallee(const std::string& name) {
  const sim::PersonaCatalog catalog = sim::PersonaCatalog::BuiltIn();
  const sim::Persona* p = catalog.Find(name);
  if (!p || p->answer != sim::AnswerKind::kHuman) return nullptr;
  return std::make_unique<PersonaCallee>(*p);
}

}  // namespace vaarta::app
