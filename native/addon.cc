// Module entry. NODE_API_MODULE makes the addon context-aware, so it also loads in worker_threads.
#include <napi.h>

#include "event_watch.h"
#include "module_pin.h"
#include "operations.h"
#include "session_list.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  wts::PinModule();
  wts::InitWatches(env);
  exports.Set("listSessions", Napi::Function::New(env, wts::ListSessions, "listSessions"));
  exports.Set("takeSessions", Napi::Function::New(env, wts::TakeSessions, "takeSessions"));
  exports.Set("getSession", Napi::Function::New(env, wts::GetSession, "getSession"));
  exports.Set("currentSessionId", Napi::Function::New(env, wts::CurrentSessionId, "currentSessionId"));
  exports.Set("logoff", Napi::Function::New(env, wts::Logoff, "logoff"));
  exports.Set("disconnect", Napi::Function::New(env, wts::Disconnect, "disconnect"));
  exports.Set("sendMessage", Napi::Function::New(env, wts::SendSessionMessage, "sendMessage"));
  exports.Set("listProcesses", Napi::Function::New(env, wts::ListProcesses, "listProcesses"));
  exports.Set("openWatch", Napi::Function::New(env, wts::OpenWatch, "openWatch"));
  exports.Set("waitEvent", Napi::Function::New(env, wts::WaitEvent, "waitEvent"));
  exports.Set("closeWatch", Napi::Function::New(env, wts::CloseWatch, "closeWatch"));
  return exports;
}

}  // namespace

NODE_API_MODULE(windows_sessions, Init)
