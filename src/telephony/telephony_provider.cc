#include "telephony/telephony_provider.h"

namespace vaarta::telephony {

bool IsAccountLevelFailure(const core::Error& error) {
  return error.detail_code == kProviderAuth || error.detail_code == kProviderPermission ||
         error.detail_code == kProviderAccountSuspended;
}

}  // namespace vaarta::telephony
