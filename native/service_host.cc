// The control dispatcher runs on a std::thread of its own: StartServiceCtrlDispatcherW does not return until the
// service reports SERVICE_STOPPED, and the SCM calls the handler on that thread (Microsoft's "Service Control
// Dispatcher" and "Service Control Handler Function" pages). The handler answers the SCM at once (a handler must
// return within 30 seconds) and hands the control to JS through a thread-safe function, which holds the event loop
// open for as long as the dispatcher runs.
#include "service_host.h"

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "win32_failure.h"
#include "win_api.h"

namespace wts {

namespace {

struct Control {
  Control(const char* kind, DWORD a = 0, DWORD b = 0, Failure failure = std::nullopt)
      : kind(kind), a(a), b(b), failure(std::move(failure)) {}
  const char* kind;
  DWORD a;
  DWORD b;
  Failure failure;
};

void CallJs(Napi::Env env, Napi::Function onControl, std::nullptr_t*, Control* control) {
  std::unique_ptr<Control> owned(control);
  if (env == nullptr || onControl.IsEmpty()) return;
  // What onControl throws is the program's own uncaught exception, as from any callback; it never unwinds into Node.
  try {
    if (owned->failure) {
      onControl.Call({Napi::String::New(env, owned->kind), MakeWin32Error(env, *owned->failure).Value()});
    } else {
      onControl.Call(
          {Napi::String::New(env, owned->kind), Napi::Number::New(env, owned->a), Napi::Number::New(env, owned->b)});
    }
  } catch (const Napi::Error& error) {
    error.ThrowAsJavaScriptException();
  }
}

using ControlCall = Napi::TypedThreadSafeFunction<std::nullptr_t, Control, CallJs>;

// How long the SCM is told a stop takes at most: the enforcer ends grace periods, lets actions under way settle
// and closes its audit log (Microsoft: past the wait hint with no new checkpoint, the SCM may take it as hung).
constexpr DWORD kStopWaitHintMs = 20000;
constexpr DWORD kAccepted =
    SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PRESHUTDOWN | SERVICE_ACCEPT_SESSIONCHANGE;

struct Host {
  std::mutex mutex;
  std::wstring name;
  SERVICE_STATUS_HANDLE handle = nullptr;
  SERVICE_STATUS status{};
  ControlCall call;
  bool started = false;
};

Host& TheHost() {
  static Host* host = new Host();  // never freed: the dispatcher thread may outlive static destruction
  return *host;
}

void Post(Control* control) {
  if (control->failure) Describe(control->failure);
  if (TheHost().call.NonBlockingCall(control) != napi_ok) delete control;
}

// Under the host's lock.
BOOL Report(Host& host, DWORD state, DWORD waitHint, DWORD exitCode, DWORD serviceExitCode) {
  host.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  host.status.dwCurrentState = state;
  host.status.dwControlsAccepted = state == SERVICE_RUNNING ? kAccepted : 0;
  host.status.dwWin32ExitCode = exitCode;
  host.status.dwServiceSpecificExitCode = serviceExitCode;
  host.status.dwWaitHint = waitHint;
  const bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
  host.status.dwCheckPoint = pending ? host.status.dwCheckPoint + 1 : 0;
  return SetServiceStatus(host.handle, &host.status);
}

DWORD WINAPI Handler(DWORD control, DWORD eventType, LPVOID eventData, LPVOID) {
  Host& host = TheHost();
  switch (control) {
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
    case SERVICE_CONTROL_PRESHUTDOWN: {
      {
        std::lock_guard<std::mutex> lock(host.mutex);
        if (host.status.dwCurrentState == SERVICE_STOP_PENDING || host.status.dwCurrentState == SERVICE_STOPPED)
          return NO_ERROR;
        Report(host, SERVICE_STOP_PENDING, kStopWaitHintMs, NO_ERROR, 0);
      }
      Post(new Control("stop", control));
      return NO_ERROR;
    }
    case SERVICE_CONTROL_SESSIONCHANGE: {
      // lpEventData is a WTSSESSION_NOTIFICATION (cbSize, dwSessionId); dwEventType is WTS_SESSION_LOGON etc.
      const auto* notification = static_cast<const WTSSESSION_NOTIFICATION*>(eventData);
      if (notification == nullptr || notification->cbSize < sizeof(WTSSESSION_NOTIFICATION)) return NO_ERROR;
      Post(new Control("sessionChange", eventType, notification->dwSessionId));
      return NO_ERROR;
    }
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

void WINAPI ServiceMain(DWORD, LPWSTR*) {
  Host& host = TheHost();
  std::lock_guard<std::mutex> lock(host.mutex);
  host.handle = RegisterServiceCtrlHandlerExW(host.name.c_str(), Handler, nullptr);
  if (host.handle == nullptr) {
    Post(new Control("failed", 0, 0, LastError("RegisterServiceCtrlHandlerExW")));
    return;
  }
  // Reading the policy and checking its file come next, in JS: a few seconds at most.
  if (!Report(host, SERVICE_START_PENDING, 30000, NO_ERROR, 0)) {
    Post(new Control("failed", 0, 0, LastError("SetServiceStatus")));
    return;
  }
  Post(new Control("started"));
}

void Dispatch() {
  Host& host = TheHost();
  std::wstring name = host.name;
  SERVICE_TABLE_ENTRYW table[] = {{&name[0], ServiceMain}, {nullptr, nullptr}};
  if (!StartServiceCtrlDispatcherW(table)) {
    Post(new Control("failed", 0, 0, LastError("StartServiceCtrlDispatcherW")));
  }
  Post(new Control("ended"));
  host.call.Release();
}

}  // namespace

Napi::Value StartServiceDispatcher(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsFunction())
    throw Napi::TypeError::New(env, "startServiceDispatcher(name, onControl)");
  Host& host = TheHost();
  std::lock_guard<std::mutex> lock(host.mutex);
  if (host.started) throw Napi::Error::New(env, "the service dispatcher is already started in this process");
  std::u16string name = info[0].As<Napi::String>().Utf16Value();
  host.name.assign(name.begin(), name.end());
  host.call = ControlCall::New(env, info[1].As<Napi::Function>(), "windows-sessions:service", 0, 1);
  host.started = true;
  std::thread(Dispatch).detach();
  return env.Undefined();
}

Napi::Value SetServiceState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  for (size_t i = 0; i < 4; ++i) {
    if (info.Length() <= i || !info[i].IsNumber())
      throw Napi::TypeError::New(env, "setServiceState(state, waitHintMs, win32ExitCode, serviceExitCode)");
  }
  Host& host = TheHost();
  std::lock_guard<std::mutex> lock(host.mutex);
  if (host.handle == nullptr) throw Napi::Error::New(env, "the service has not started");
  const auto arg = [&](size_t i) { return info[i].As<Napi::Number>().Uint32Value(); };
  if (!Report(host, arg(0), arg(1), arg(2), arg(3))) {
    Failure failure = LastError("SetServiceStatus");
    Describe(failure);
    throw MakeWin32Error(env, *failure);
  }
  return env.Undefined();
}

}  // namespace wts
