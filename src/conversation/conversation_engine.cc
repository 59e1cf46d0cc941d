// Transitional: keeps the module's library non-empty until its sources land.
#include "conversation/conversation_engine.h"
