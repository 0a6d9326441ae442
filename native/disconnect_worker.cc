// disconnect(sessionId, wait, server): WTSDisconnectSession; the session keeps running and its user can reconnect.
#include "args.h"
#include "operations.h"
#include "promise_worker.h"
#include "wts_holders.h"

namespace wts {

namespace {

class DisconnectWorker final : public PromiseWorker {
 public:
  DisconnectWorker(Napi::Env env, DWORD sessionId, bool wait, std::optional<std::u16string> server)
      : PromiseWorker(env, "windows-sessions:disconnect"),
        sessionId_(sessionId),
        wait_(wait),
        server_(std::move(server)) {}

 private:
  Failure Run() override {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    if (!WTSDisconnectSession(server.Get(), sessionId_, wait_ ? TRUE : FALSE)) {
      return LastError("WTSDisconnectSession", sessionId_);
    }
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

  DWORD sessionId_;
  bool wait_;
  std::optional<std::u16string> server_;
};

}  // namespace

Napi::Value Disconnect(const Napi::CallbackInfo& info) {
  const DWORD sessionId = ReadSessionId(info, 0);
  const bool wait = ReadBool(info, 1);
  return PromiseWorker::Start(new DisconnectWorker(info.Env(), sessionId, wait, ReadServer(info, 2)));
}

}  // namespace wts
