// Module entry. NODE_API_MODULE makes the addon context-aware, so it also loads in worker_threads.
#include <napi.h>

#include "operations.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("listSessions", Napi::Function::New(env, wts::ListSessions, "listSessions"));
  exports.Set("getSession", Napi::Function::New(env, wts::GetSession, "getSession"));
  exports.Set("currentSessionId", Napi::Function::New(env, wts::CurrentSessionId, "currentSessionId"));
  exports.Set("logoff", Napi::Function::New(env, wts::Logoff, "logoff"));
  return exports;
}

}  // namespace

NODE_API_MODULE(windows_sessions, Init)
