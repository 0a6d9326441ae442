// The addon's exports, one worker each (*_worker.cc; the session-event watch is in event_watch.h).
// Each returns a promise.
#pragma once

#include <napi.h>

namespace wts {

Napi::Value ListSessions(const Napi::CallbackInfo& info);     // (server)
Napi::Value GetSession(const Napi::CallbackInfo& info);       // (sessionId, server)
Napi::Value CurrentSessionId(const Napi::CallbackInfo& info);  // ()
Napi::Value Logoff(const Napi::CallbackInfo& info);           // (sessionId, wait, server)
Napi::Value Disconnect(const Napi::CallbackInfo& info);       // (sessionId, wait, server)
Napi::Value SendSessionMessage(const Napi::CallbackInfo& info);      // (sessionId, title, message, style, timeout, wait, server)
Napi::Value ListProcesses(const Napi::CallbackInfo& info);    // (server)

}  // namespace wts
