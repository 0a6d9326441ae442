// logoff(sessionId, wait, server): WTSLogoffSession on exactly the session named, nothing else.
#include "args.h"
#include "operations.h"
#include "promise_worker.h"
#include "wts_holders.h"

namespace wts {

namespace {

class LogoffWorker final : public PromiseWorker {
 public:
  LogoffWorker(Napi::Env env, DWORD sessionId, bool wait, std::optional<std::u16string> server)
      : PromiseWorker(env, "windows-sessions:logoff"), sessionId_(sessionId), wait_(wait), server_(std::move(server)) {}

 private:
  Failure Run() override {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    if (!WTSLogoffSession(server.Get(), sessionId_, wait_ ? TRUE : FALSE)) {
      return LastError("WTSLogoffSession", sessionId_);
    }
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

  DWORD sessionId_;
  bool wait_;
  std::optional<std::u16string> server_;
};

}  // namespace

Napi::Value Logoff(const Napi::CallbackInfo& info) {
  const DWORD sessionId = ReadSessionId(info, 0);
  const bool wait = ReadBool(info, 1);
  return PromiseWorker::Start(new LogoffWorker(info.Env(), sessionId, wait, ReadServer(info, 2)));
}

}  // namespace wts
