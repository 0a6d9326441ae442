// termServReady(): whether Remote Desktop Services says it is ready, without waiting. Microsoft's
// WTSRegisterSessionNotificationEx page: before the dependent services of Remote Desktop Services have started, calls
// may fail with RPC_S_INVALID_BINDING; once the global event "Global\TermSrvReadyEvent" is set, they have. "absent"
// when there is no such event (not created yet, or a system without it, such as Wine).
#include "operations.h"
#include "win32_failure.h"

namespace wts {

Napi::Value TermServReady(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  HANDLE event = OpenEventW(SYNCHRONIZE, FALSE, L"Global\\TermSrvReadyEvent");
  if (event == nullptr) {
    Failure failure = LastError("OpenEventW");
    if (failure->code == ERROR_FILE_NOT_FOUND) return Napi::String::New(env, "absent");
    Describe(failure);
    throw MakeWin32Error(env, *failure);
  }
  const DWORD state = WaitForSingleObject(event, 0);
  CloseHandle(event);
  return Napi::String::New(env, state == WAIT_OBJECT_0 ? "ready" : "waiting");
}

}  // namespace wts
