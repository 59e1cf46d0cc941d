// Transitional: keeps the module's library non-empty until its sources land.
#include "telephony/call_status.h"
