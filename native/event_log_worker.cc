// reportEvent(source, type, eventId, text, data): one record in the Application log under an event source registered
// at install (native/service_install_worker.cc). The text fills %1 of the message the event id names in the message
// table (native/messages.mc); `data` (the audit record as JSON) is attached as the event's binary data.
#include "operations.h"
#include "promise_worker.h"

#include <string>
#include <vector>

namespace wts {

namespace {

class EventLogWorker final : public PromiseWorker {
 public:
  EventLogWorker(Napi::Env env, std::u16string source, WORD type, DWORD eventId, std::u16string text,
                 std::vector<char> data)
      : PromiseWorker(env, "windows-sessions:reportEvent"),
        source_(std::move(source)),
        type_(type),
        eventId_(eventId),
        text_(std::move(text)),
        data_(std::move(data)) {}

 private:
  Failure Run() override {
    HANDLE log = RegisterEventSourceW(nullptr, reinterpret_cast<LPCWSTR>(source_.c_str()));
    if (log == nullptr) return LastError("RegisterEventSourceW");
    LPCWSTR strings[] = {reinterpret_cast<LPCWSTR>(text_.c_str())};
    const BOOL ok = ReportEventW(log, type_, 0, eventId_, nullptr, 1, static_cast<DWORD>(data_.size()), strings,
                                 data_.empty() ? nullptr : data_.data());
    Failure failure = ok ? std::nullopt : LastError("ReportEventW");
    DeregisterEventSource(log);
    return failure;
  }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

  std::u16string source_;
  WORD type_;
  DWORD eventId_;
  std::u16string text_;
  std::vector<char> data_;
};

}  // namespace

Napi::Value ReportEvent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsString() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsString() ||
      !info[4].IsBuffer())
    throw Napi::TypeError::New(env, "reportEvent(source, type, eventId, text, data)");
  Napi::Buffer<char> data = info[4].As<Napi::Buffer<char>>();
  return PromiseWorker::Start(new EventLogWorker(
      env, info[0].As<Napi::String>().Utf16Value(), static_cast<WORD>(info[1].As<Napi::Number>().Uint32Value()),
      info[2].As<Napi::Number>().Uint32Value(), info[3].As<Napi::String>().Utf16Value(),
      std::vector<char>(data.Data(), data.Data() + data.Length())));
}

}  // namespace wts
