// Module entry. NODE_API_MODULE makes the addon context-aware, so it also loads in worker_threads.
#include <napi.h>

#include "blocking_pool.h"
#include "entry_guard.h"
#include "event_watch.h"
#include "module_pin.h"
#include "operations.h"
#include "session_list.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Each export through entry_guard.h: no C++ exception crosses into V8.
  wts::PinModule();
  wts::InitPools();
  wts::InitWatches(env);
  exports.Set("listSessions", Napi::Function::New(env, wts::Promising<wts::ListSessions>, "listSessions"));
  exports.Set("takeSessions", Napi::Function::New(env, wts::Synchronous<wts::TakeSessions>, "takeSessions"));
  exports.Set("getSession", Napi::Function::New(env, wts::Promising<wts::GetSession>, "getSession"));
  exports.Set("currentSessionId", Napi::Function::New(env, wts::Promising<wts::CurrentSessionId>, "currentSessionId"));
  exports.Set("logoff", Napi::Function::New(env, wts::Promising<wts::Logoff>, "logoff"));
  exports.Set("disconnect", Napi::Function::New(env, wts::Promising<wts::Disconnect>, "disconnect"));
  exports.Set("sendMessage", Napi::Function::New(env, wts::Promising<wts::SendSessionMessage>, "sendMessage"));
  exports.Set("listProcesses", Napi::Function::New(env, wts::Promising<wts::ListProcesses>, "listProcesses"));
  exports.Set("openWatch", Napi::Function::New(env, wts::Promising<wts::OpenWatch>, "openWatch"));
  exports.Set("waitEvent", Napi::Function::New(env, wts::Promising<wts::WaitEvent>, "waitEvent"));
  exports.Set("closeWatch", Napi::Function::New(env, wts::Promising<wts::CloseWatch>, "closeWatch"));
  return exports;
}

}  // namespace

NODE_API_MODULE(windows_sessions, Init)
