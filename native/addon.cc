// Module entry. NAPI_MODULE (as NODE_API_MODULE) makes the addon context-aware, so it also loads in worker_threads.
#include <napi.h>

#include "blocking_pool.h"
#include "entry_guard.h"
#include "event_watch.h"
#include "module_pin.h"
#include "operations.h"
#include "service_host.h"
#include "session_list.h"
#include "win32_failure.h"

#ifdef WINDOWS_SESSIONS_HOST_IMPORTS
#include "mingw/host_imports.h"
#endif

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Unpinned, the addon's pool threads could outlive an unload and run unmapped code: better no addon at all.
  if (DWORD code = wts::PinModule()) {
    wts::Failure failure = wts::Win32Failure{code, "GetModuleHandleExW"};
    wts::Describe(failure);
    throw wts::MakeWin32Error(env, *failure);
  }
  // Each export through entry_guard.h: no C++ exception crosses into V8.
  wts::InitPools();
  wts::InitWatches(env);
  exports.Set("listSessions", Napi::Function::New(env, wts::Promising<wts::ListSessions>, "listSessions"));
  exports.Set("takeSessions", Napi::Function::New(env, wts::Synchronous<wts::TakeSessions>, "takeSessions"));
  exports.Set("listSessionSummaries",
              Napi::Function::New(env, wts::Promising<wts::ListSessionSummaries>, "listSessionSummaries"));
  exports.Set("getSession", Napi::Function::New(env, wts::Promising<wts::GetSession>, "getSession"));
  exports.Set("currentSessionId", Napi::Function::New(env, wts::Promising<wts::CurrentSessionId>, "currentSessionId"));
  exports.Set("logoff", Napi::Function::New(env, wts::Promising<wts::Logoff>, "logoff"));
  exports.Set("disconnect", Napi::Function::New(env, wts::Promising<wts::Disconnect>, "disconnect"));
  exports.Set("sendMessage", Napi::Function::New(env, wts::Promising<wts::SendSessionMessage>, "sendMessage"));
  exports.Set("listProcesses", Napi::Function::New(env, wts::Promising<wts::ListProcesses>, "listProcesses"));
  exports.Set("isAdministrator", Napi::Function::New(env, wts::Promising<wts::IsAdministrator>, "isAdministrator"));
  exports.Set("userGroups", Napi::Function::New(env, wts::Promising<wts::UserGroups>, "userGroups"));
  exports.Set("openWatch", Napi::Function::New(env, wts::Promising<wts::OpenWatch>, "openWatch"));
  exports.Set("waitEvent", Napi::Function::New(env, wts::Promising<wts::WaitEvent>, "waitEvent"));
  exports.Set("closeWatch", Napi::Function::New(env, wts::Promising<wts::CloseWatch>, "closeWatch"));
  exports.Set("reportEvent", Napi::Function::New(env, wts::Promising<wts::ReportEvent>, "reportEvent"));
  exports.Set("installService", Napi::Function::New(env, wts::Promising<wts::InstallService>, "installService"));
  exports.Set("controlService", Napi::Function::New(env, wts::Promising<wts::ControlNamedService>, "controlService"));
  exports.Set("fileAcl", Napi::Function::New(env, wts::Promising<wts::FileAcl>, "fileAcl"));
  exports.Set("startServiceDispatcher",
              Napi::Function::New(env, wts::Synchronous<wts::StartServiceDispatcher>, "startServiceDispatcher"));
  exports.Set("setServiceState", Napi::Function::New(env, wts::Synchronous<wts::SetServiceState>, "setServiceState"));
  exports.Set("termServReady", Napi::Function::New(env, wts::Synchronous<wts::TermServReady>, "termServReady"));
  return exports;
}

napi_value RegisterModule(napi_env env, napi_value exports) {
#ifdef WINDOWS_SESSIONS_HOST_IMPORTS
  // Before any other Node-API call: where the host lacks one, the first call would jump to address 0.
  if (!wts::HostHasNodeApi(env)) return nullptr;
#endif
  return Napi::RegisterModule(env, exports, Init);
}

}  // namespace

// NODE_API_MODULE(windows_sessions, Init), with the check above before Napi::RegisterModule.
NAPI_MODULE(windows_sessions, RegisterModule)
