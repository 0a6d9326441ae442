// The Service Control Manager from the installing side: installService, uninstallService, controlService and
// queryService, through the SCM's own API (OpenSCManagerW, CreateServiceW, ChangeServiceConfig2W, ...), not sc.exe:
// no text output to parse, and each failure comes back as the Win32 error it is. Install also registers the event
// source the service writes under (the addon itself holds the message table), and uninstall removes it.
#include <memory>
#include <string>
#include <vector>

#include "operations.h"
#include "promise_worker.h"

namespace wts {

namespace {

struct ScHandle {
  SC_HANDLE handle;
  ~ScHandle() {
    if (handle != nullptr) CloseServiceHandle(handle);
  }
};

const wchar_t* W(const std::u16string& text) { return reinterpret_cast<const wchar_t*>(text.c_str()); }
const wchar_t* OrNull(const std::u16string& text) { return text.empty() ? nullptr : W(text); }

// HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\<source> (Microsoft's "Event Sources" page).
std::wstring EventSourceKey(const std::u16string& source) {
  return L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" + std::wstring(W(source));
}

// The file this code is in: the addon, whose message table Event Viewer reads.
Failure AddonPath(std::wstring& path) {
  HMODULE self = nullptr;
  if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          reinterpret_cast<LPCWSTR>(&AddonPath), &self))
    return LastError("GetModuleHandleExW");
  path.assign(32768, L'\0');
  const DWORD length = GetModuleFileNameW(self, &path[0], static_cast<DWORD>(path.size()));
  if (length == 0 || length >= path.size()) return LastError("GetModuleFileNameW");
  path.resize(length);
  return std::nullopt;
}

Failure RegisterSource(const std::u16string& source) {
  std::wstring addon;
  if (Failure failure = AddonPath(addon)) return failure;
  HKEY key = nullptr;
  LSTATUS status = RegCreateKeyExW(HKEY_LOCAL_MACHINE, EventSourceKey(source).c_str(), 0, nullptr, 0, KEY_SET_VALUE,
                                   nullptr, &key, nullptr);
  if (status != ERROR_SUCCESS) return Win32Failure{static_cast<DWORD>(status), "RegCreateKeyExW"};
  const DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
  status = RegSetValueExW(key, L"EventMessageFile", 0, REG_EXPAND_SZ, reinterpret_cast<const BYTE*>(addon.c_str()),
                          static_cast<DWORD>((addon.size() + 1) * sizeof(wchar_t)));
  if (status == ERROR_SUCCESS)
    status = RegSetValueExW(key, L"TypesSupported", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&types), sizeof types);
  RegCloseKey(key);
  if (status != ERROR_SUCCESS) return Win32Failure{static_cast<DWORD>(status), "RegSetValueExW"};
  return std::nullopt;
}

struct InstallRequest {
  std::u16string name, displayName, description, commandLine, account, password;
};

class ServiceWorker final : public PromiseWorker {
 public:
  enum class Op { kInstall, kUninstall, kStart, kStop, kQuery };
  ServiceWorker(Napi::Env env, Op op, InstallRequest request)
      : PromiseWorker(env, "windows-sessions:service"), op_(op), request_(std::move(request)) {}

 private:
  Failure Run() override {
    const DWORD scmAccess = op_ == Op::kInstall ? SC_MANAGER_CREATE_SERVICE : SC_MANAGER_CONNECT;
    ScHandle scm{OpenSCManagerW(nullptr, nullptr, scmAccess)};
    if (scm.handle == nullptr) return LastError("OpenSCManagerW");
    if (op_ == Op::kInstall) return Install(scm.handle);
    const DWORD access = op_ == Op::kUninstall ? DELETE | SERVICE_QUERY_STATUS
                         : op_ == Op::kStart   ? SERVICE_START | SERVICE_QUERY_STATUS
                         : op_ == Op::kStop    ? SERVICE_STOP | SERVICE_QUERY_STATUS
                                               : SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG;
    ScHandle service{OpenServiceW(scm.handle, W(request_.name), access)};
    if (service.handle == nullptr) return LastError("OpenServiceW");
    switch (op_) {
      case Op::kUninstall: {
        if (!DeleteService(service.handle)) return LastError("DeleteService");
        const LSTATUS status = RegDeleteKeyW(HKEY_LOCAL_MACHINE, EventSourceKey(request_.name).c_str());
        if (status != ERROR_SUCCESS && status != ERROR_FILE_NOT_FOUND)
          return Win32Failure{static_cast<DWORD>(status), "RegDeleteKeyW"};
        return std::nullopt;
      }
      case Op::kStart:
        if (!StartServiceW(service.handle, 0, nullptr)) return LastError("StartServiceW");
        return Query(service.handle);
      case Op::kStop: {
        SERVICE_STATUS status{};
        if (!ControlService(service.handle, SERVICE_CONTROL_STOP, &status)) return LastError("ControlService");
        return Query(service.handle);
      }
      default:
        return Query(service.handle);
    }
  }

  Failure Install(SC_HANDLE scm) {
    // No account: LocalSystem (lpServiceStartName NULL, CreateServiceW page).
    ScHandle service{CreateServiceW(scm, W(request_.name), W(request_.displayName), SERVICE_ALL_ACCESS,
                                    SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
                                    W(request_.commandLine), nullptr, nullptr, nullptr, OrNull(request_.account),
                                    OrNull(request_.password))};
    if (service.handle == nullptr) return LastError("CreateServiceW");
    Failure failure = Configure(service.handle);
    if (!failure) failure = RegisterSource(request_.name);
    // Half an install is none: a service without its recovery or its event source is taken away again.
    if (failure) DeleteService(service.handle);
    return failure;
  }

  Failure Configure(SC_HANDLE service) {
    SERVICE_DESCRIPTIONW description{const_cast<LPWSTR>(W(request_.description))};
    if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_DESCRIPTION, &description))
      return LastError("ChangeServiceConfig2W");
    // Delayed: started shortly after the other automatic services, Remote Desktop Services among them. An SCM without
    // the level (ERROR_INVALID_LEVEL: Windows XP and Server 2003 by Microsoft's page; Wine 8) starts it with them.
    SERVICE_DELAYED_AUTO_START_INFO delayed{TRUE};
    delayed_ = ChangeServiceConfig2W(service, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &delayed) != FALSE;
    if (!delayed_ && GetLastError() != ERROR_INVALID_LEVEL) return LastError("ChangeServiceConfig2W");
    // Restarted 5 s, 30 s and 60 s after each failure; the count starts again after a day without one.
    SC_ACTION actions[] = {{SC_ACTION_RESTART, 5000}, {SC_ACTION_RESTART, 30000}, {SC_ACTION_RESTART, 60000}};
    SERVICE_FAILURE_ACTIONSW failure{86400, nullptr, nullptr, 3, actions};
    if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure))
      return LastError("ChangeServiceConfig2W");
    return std::nullopt;
  }

  Failure Query(SC_HANDLE service) {
    DWORD needed = 0;
    if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status_), sizeof status_,
                              &needed))
      return LastError("QueryServiceStatusEx");
    queried_ = true;
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override {
    if (op_ == Op::kInstall) {
      Napi::Object out = Napi::Object::New(env);
      out.Set("delayedAutoStart", delayed_);
      return out;
    }
    if (!queried_) return env.Undefined();
    Napi::Object out = Napi::Object::New(env);
    out.Set("state", status_.dwCurrentState);
    out.Set("pid", status_.dwProcessId);
    out.Set("win32ExitCode", status_.dwWin32ExitCode);
    out.Set("serviceExitCode", status_.dwServiceSpecificExitCode);
    out.Set("checkPoint", status_.dwCheckPoint);
    out.Set("waitHint", status_.dwWaitHint);
    return out;
  }

  Op op_;
  InstallRequest request_;
  SERVICE_STATUS_PROCESS status_{};
  bool queried_ = false;
  bool delayed_ = false;
};

std::u16string Field(const Napi::Object& object, const char* key, bool required) {
  Napi::Value value = object.Get(key);
  if (value.IsString()) return value.As<Napi::String>().Utf16Value();
  if (required || !(value.IsUndefined() || value.IsNull()))
    throw Napi::TypeError::New(object.Env(), std::string("service option ") + key + " must be a string");
  return std::u16string();
}

}  // namespace

Napi::Value InstallService(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject())
    throw Napi::TypeError::New(info.Env(), "installService({ name, displayName, description, commandLine })");
  Napi::Object o = info[0].As<Napi::Object>();
  InstallRequest request{Field(o, "name", true),        Field(o, "displayName", true), Field(o, "description", true),
                         Field(o, "commandLine", true), Field(o, "account", false),    Field(o, "password", false)};
  return PromiseWorker::Start(new ServiceWorker(info.Env(), ServiceWorker::Op::kInstall, std::move(request)));
}

// (name, op): op is "uninstall", "start", "stop" or "query".
Napi::Value ControlNamedService(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString())
    throw Napi::TypeError::New(env, "controlService(name, op)");
  const std::string op = info[1].As<Napi::String>().Utf8Value();
  ServiceWorker::Op kind;
  if (op == "uninstall")
    kind = ServiceWorker::Op::kUninstall;
  else if (op == "start")
    kind = ServiceWorker::Op::kStart;
  else if (op == "stop")
    kind = ServiceWorker::Op::kStop;
  else if (op == "query")
    kind = ServiceWorker::Op::kQuery;
  else
    throw Napi::RangeError::New(env, "controlService op must be uninstall, start, stop or query");
  InstallRequest request;
  request.name = info[0].As<Napi::String>().Utf16Value();
  return PromiseWorker::Start(new ServiceWorker(env, kind, std::move(request)));
}

}  // namespace wts
