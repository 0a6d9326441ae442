// getSession(sessionId, server, lockState): one session's details, or null when there is no such session.
#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "session_query.h"
#include "wts_holders.h"

namespace wts {

namespace {

class GetSessionJob {
 public:
  GetSessionJob(DWORD sessionId, std::optional<std::u16string> server, bool lockState)
      : server_(std::move(server)), lockState_(lockState) {
    record_.id = sessionId;
  }

  Failure Run() {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    if (auto failure = QuerySession(server.Get(), record_, {true, lockState_, server.IsLocal()})) {
      if (!IsVanishedSession(failure->code)) return failure;
      found_ = false;
      return std::nullopt;
    }
    DWORD current = 0;
    record_.isCurrent = server.IsLocal() && !CurrentProcessSession(current) && current == record_.id;
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) { return found_ ? Napi::Value(ToJs(env, record_, RecordKeys(env))) : env.Null(); }

 private:
  std::optional<std::u16string> server_;
  bool lockState_;
  SessionRecord record_;
  bool found_ = true;
};

}  // namespace

Napi::Value GetSession(const Napi::CallbackInfo& info) {
  const DWORD sessionId = ReadSessionId(info, 0);
  const bool lockState = info.Length() > 2 && info[2].IsBoolean() && info[2].As<Napi::Boolean>().Value();
  auto server = ReadServer(info, 1);
  const bool remote = server.has_value();
  return StartJob(info.Env(), "windows-sessions:getSession", GetSessionJob(sessionId, std::move(server), lockState),
                  remote);
}

}  // namespace wts
