#pragma once
// The telephony simulator's personas (sim/persona.h) as callees of simulated test calls:
// a manager watches the campaign's agent talk to "opt_out_hi" or "price_hinglish" before
// launching it. Only personas that answer as a person are offered.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calls/test_call.h"
#include "sim/persona.h"

namespace vaarta::app {

class PersonaCallee final : public calls::ScriptedCallee {
 public:
  explicit PersonaCallee(sim::Persona persona)
      : persona_(std::move(persona)), conversation_(persona_) {}
  PersonaCallee(const PersonaCallee&) = delete;
  PersonaCallee& operator=(const PersonaCallee&) = delete;
  Reply Answer(const std::string& agent_said) override;

 private:
  sim::Persona persona_;
  sim::PersonaConversation conversation_;  // refers to persona_
};

// [{"name", "language"}] of the built-in personas that answer as a person.
nlohmann::json TalkingPersonas();
// Null when there is no such persona or it does not answer as a person.
std::unique_ptr<calls::ScriptedCallee> MakePersonaCallee(const std::string& name);

}  // namespace vaarta::app
