// logoff(sessionId, wait, server) and disconnect(sessionId, wait, server): WTSLogoffSession or WTSDisconnectSession
// on exactly the session named, nothing else. The two calls have the same shape, so one worker does both. Both can
// block for minutes (wait: true waits for the logoff to finish; a remote host can hang in RPC time-outs), so they
// run on a pool of their own, never on libuv's four threads that fs, dns and crypto need.
#include "args.h"
#include "operations.h"
#include "thread_worker.h"
#include "wts_holders.h"

namespace wts {

namespace {

using SessionAction = BOOL(WINAPI*)(HANDLE, DWORD, BOOL);

class SessionActionWorker final : public ThreadWorker {
 public:
  SessionActionWorker(const char* resourceName, SessionAction action, const char* syscall, DWORD sessionId, bool wait,
                      std::optional<std::u16string> server)
      : ThreadWorker(resourceName),
        action_(action),
        syscall_(syscall),
        sessionId_(sessionId),
        wait_(wait),
        server_(std::move(server)) {}

 private:
  Failure Run() override {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    if (!action_(server.Get(), sessionId_, wait_ ? TRUE : FALSE)) return LastError(syscall_, sessionId_);
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

  SessionAction action_;
  const char* syscall_;
  DWORD sessionId_;
  bool wait_;
  std::optional<std::u16string> server_;
};

Napi::Value Start(const Napi::CallbackInfo& info, const char* resourceName, SessionAction action, const char* syscall) {
  const DWORD sessionId = ReadSessionId(info, 0);
  const bool wait = ReadBool(info, 1);
  return ThreadWorker::Start(
      info.Env(), new SessionActionWorker(resourceName, action, syscall, sessionId, wait, ReadServer(info, 2)),
      ActionPool());
}

}  // namespace

Napi::Value Logoff(const Napi::CallbackInfo& info) {
  return Start(info, "windows-sessions:logoff", WTSLogoffSession, "WTSLogoffSession");
}

Napi::Value Disconnect(const Napi::CallbackInfo& info) {
  return Start(info, "windows-sessions:disconnect", WTSDisconnectSession, "WTSDisconnectSession");
}

}  // namespace wts
