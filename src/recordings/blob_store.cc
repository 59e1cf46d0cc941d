// Transitional: keeps the module's library non-empty until its sources land.
#include "recordings/blob_store.h"
