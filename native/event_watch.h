// Session-event watches of one Node environment, each a subscriber of its server's shared wait
// (native/shared_wait.h): however many watches, environments and copies of the package, one WTSWaitSystemEvent per
// server per process. Events reach a watch through its environment's thread-safe function; those that come while
// no waitEvent is pending are kept for the next one (see WaitEvent).
#pragma once

#include <napi.h>

namespace wts {

// Once per environment, at module load: its watches, left (without blocking) at its teardown.
void InitWatches(Napi::Env env);

Napi::Value OpenWatch(const Napi::CallbackInfo& info);  // (server) -> watch id
// (watchId, mask) -> the event flags in `mask` that happened since the watch's last waitEvent returned (or since it
// was opened), waiting for one if none did; kinds outside `mask` are dropped. 0 once the watch is closed.
Napi::Value WaitEvent(const Napi::CallbackInfo& info);
Napi::Value CloseWatch(const Napi::CallbackInfo& info);  // (watchId)

}  // namespace wts
