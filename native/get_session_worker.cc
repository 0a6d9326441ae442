// getSession(sessionId, server, lockState): one session's details, or null when there is no such session.
#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "remote_clock.h"
#include "session_query.h"
#include "text.h"
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
    const int64_t start = CallerClockMs();
    if (auto failure = QuerySession(server.Get(), record_, {true, lockState_, server.IsLocal()})) {
      if (IsVanishedSession(failure->code)) {
        found_ = false;
        return std::nullopt;
      }
      if (failure->code != ERROR_CTX_CLOSE_PENDING) return failure;
      // Hung or closing (Cassia #36: a session in the Down state answers this): still there while the enumeration
      // lists it, and given with what the enumeration says, so that it can be reset by id.
      if (auto missing = FromEnumeration(server.Get(), failure->code)) return missing;
      if (!found_) return std::nullopt;
    }
    // A remote host's clock (remote_clock.h), once it has answered: one that is down costs no second time-out.
    if (!server.IsLocal()) clock_ = ReadRemoteClock(*server_, start);
    DWORD current = 0;
    record_.isCurrent = server.IsLocal() && !CurrentProcessSession(current) && current == record_.id;
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) {
    if (!found_) return env.Null();
    Napi::Object record = ToJs(env, record_, RecordKeys(env));
    if (clock_) record.Set("remoteClock", RemoteClockToJs(env, *clock_));
    return record;
  }

 private:
  // Looks the session up in the enumeration: its station and state from there, and `code` as why the rest is missing;
  // found_ false when it is not listed (gone).
  Failure FromEnumeration(HANDLE server, DWORD code) {
    WtsMemory<WTS_SESSION_INFOW> list;
    DWORD count = 0;
    if (!WTSEnumerateSessionsW(server, 0, 1, list.Out(), &count)) return LastError("WTSEnumerateSessionsW");
    found_ = false;
    for (DWORD i = 0; i < count && !found_; ++i) {
      if (list[i].SessionId != record_.id) continue;
      record_.stationName = FromPointer(list[i].pWinStationName);
      record_.state = static_cast<DWORD>(list[i].State);
      record_.failures.push_back({WTSSessionInfo, code});
      found_ = true;
    }
    return std::nullopt;
  }

  std::optional<std::u16string> server_;
  bool lockState_;
  SessionRecord record_;
  std::optional<RemoteClock> clock_;
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
