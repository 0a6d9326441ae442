// Keeps the addon's DLL loaded until the process ends.
#pragma once

#include "win_api.h"

namespace wts {

// Node unloads an addon when the last environment that loaded it ends, e.g. a worker_thread that was the only one
// to use the package. The addon's pool threads (native/blocking_pool.h) outlive every environment: a message box, a
// wait or a close still running, or a thread idling before it ends, would then execute unmapped code.
// Returns 0, or GetLastError() of the failed pin.
DWORD PinModule();

}  // namespace wts
