// The addon's exports, one worker each (*_worker.cc; the session-event watch is in event_watch.h).
// Each returns a promise; the arguments are listed as JS passes them.
#pragma once

#include <napi.h>

namespace wts {

// (server, concurrency?)
Napi::Value ListSessions(const Napi::CallbackInfo& info);
// (server): WTSEnumerateSessionsExW level 1, no per-session queries
Napi::Value ListSessionSummaries(const Napi::CallbackInfo& info);
// (sessionId, server)
Napi::Value GetSession(const Napi::CallbackInfo& info);
// ()
Napi::Value CurrentSessionId(const Napi::CallbackInfo& info);
// (sessionId, wait, server)
Napi::Value Logoff(const Napi::CallbackInfo& info);
// (sessionId, wait, server)
Napi::Value Disconnect(const Napi::CallbackInfo& info);
// (sessionId, title, message, style, timeoutSeconds, wait, server)
Napi::Value SendSessionMessage(const Napi::CallbackInfo& info);
// (server)
Napi::Value ListProcesses(const Napi::CallbackInfo& info);
// ()
Napi::Value IsAdministrator(const Napi::CallbackInfo& info);
// (userName, domain, domainGroups, server, sessionId?)
Napi::Value UserGroups(const Napi::CallbackInfo& info);
// (source, type, eventId, text, data)
Napi::Value ReportEvent(const Napi::CallbackInfo& info);
// ({ name, displayName, description, commandLine, account?, password? })
Napi::Value InstallService(const Napi::CallbackInfo& info);
// (name, "uninstall" | "start" | "stop" | "query")
Napi::Value ControlNamedService(const Napi::CallbackInfo& info);
// (): "ready", "waiting" or "absent"
Napi::Value TermServReady(const Napi::CallbackInfo& info);
// (path, sddl?)
Napi::Value FileAcl(const Napi::CallbackInfo& info);

}  // namespace wts
