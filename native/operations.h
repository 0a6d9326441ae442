// The addon's exports, one worker each (list_sessions_worker.cc, get_session_worker.cc, logoff_worker.cc,
// current_session_worker.cc). Each returns a promise.
#pragma once

#include <napi.h>

namespace wts {

Napi::Value ListSessions(const Napi::CallbackInfo& info);     // (server)
Napi::Value GetSession(const Napi::CallbackInfo& info);       // (sessionId, server)
Napi::Value CurrentSessionId(const Napi::CallbackInfo& info);  // ()
Napi::Value Logoff(const Napi::CallbackInfo& info);           // (sessionId, wait, server)

}  // namespace wts
