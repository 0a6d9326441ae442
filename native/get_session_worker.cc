// getSession(sessionId, server): one session's details, or null when there is no such session.
#include "args.h"
#include "operations.h"
#include "promise_worker.h"
#include "session_query.h"
#include "wts_holders.h"

namespace wts {

namespace {

class GetSessionWorker final : public PromiseWorker {
 public:
  GetSessionWorker(Napi::Env env, DWORD sessionId, std::optional<std::u16string> server)
      : PromiseWorker(env, "windows-sessions:getSession"), server_(std::move(server)) {
    record_.id = sessionId;
  }

 private:
  Failure Run() override {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    if (auto failure = QuerySession(server.Get(), record_, true)) {
      if (!IsVanishedSession(failure->code)) return failure;
      found_ = false;
      return std::nullopt;
    }
    DWORD current = 0;
    record_.isCurrent = server.IsLocal() && !CurrentProcessSession(current) && current == record_.id;
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override {
    return found_ ? Napi::Value(ToJs(env, record_, RecordKeys(env))) : env.Null();
  }

  std::optional<std::u16string> server_;
  SessionRecord record_;
  bool found_ = true;
};

}  // namespace

Napi::Value GetSession(const Napi::CallbackInfo& info) {
  const DWORD sessionId = ReadSessionId(info, 0);
  return PromiseWorker::Start(new GetSessionWorker(info.Env(), sessionId, ReadServer(info, 1)));
}

}  // namespace wts
