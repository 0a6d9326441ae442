// Session-event watches (WTSWaitSystemEvent). A watch keeps its server handle open across waits; closing it
// flushes the handle until its own wait has returned with WTS_EVENT_NONE. The handle itself is closed when the last
// user (the registry or a wait in progress) lets go of it.
#pragma once

#include <napi.h>

#include <memory>

#include "wts_holders.h"

namespace wts {

// Once per environment, at module load: its watch registry, closed at its teardown.
void InitWatches(Napi::Env env);

Napi::Value OpenWatch(const Napi::CallbackInfo& info);   // (server) -> watch id
Napi::Value WaitEvent(const Napi::CallbackInfo& info);   // (watchId, mask) -> event flags (0: flushed)
Napi::Value CloseWatch(const Napi::CallbackInfo& info);  // (watchId)

}  // namespace wts
