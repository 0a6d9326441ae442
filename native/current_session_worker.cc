// currentSessionId(): the session this process runs in (ProcessIdToSessionId, which works even where Remote
// Desktop Services is not running).
#include "operations.h"
#include "promise_worker.h"
#include "session_query.h"

namespace wts {

namespace {

class CurrentSessionWorker final : public PromiseWorker {
 public:
  explicit CurrentSessionWorker(Napi::Env env) : PromiseWorker(env, "windows-sessions:currentSessionId") {}

 private:
  Failure Run() override { return CurrentProcessSession(sessionId_); }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, sessionId_); }

  DWORD sessionId_ = 0;
};

}  // namespace

Napi::Value CurrentSessionId(const Napi::CallbackInfo& info) {
  return PromiseWorker::Start(new CurrentSessionWorker(info.Env()));
}

}  // namespace wts
