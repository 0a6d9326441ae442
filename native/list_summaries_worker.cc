// listSessionSummaries(server): WTSEnumerateSessionsExW at level 1, one call for every session with its station,
// state, user and domain; none of the per-session queries of listSessions (times, client, address).
#include <vector>

#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "session_info_1.h"
#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

struct Summary {
  DWORD id;
  DWORD state;
  std::u16string station, user, domain;
};

class ListSummariesJob {
 public:
  explicit ListSummariesJob(std::optional<std::u16string> server) : server_(std::move(server)) {}

  Failure Run() {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    SessionInfo1List list;
    if (!list.Enumerate(server.Get())) return LastError("WTSEnumerateSessionsExW");
    records_.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      const SessionInfo1W& s = list[i];
      records_.push_back(
          {s.SessionId, s.State, FromPointer(s.pSessionName), FromPointer(s.pUserName), FromPointer(s.pDomainName)});
    }
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) {
    Napi::Array array = Napi::Array::New(env, records_.size());
    for (size_t i = 0; i < records_.size(); ++i) {
      const Summary& s = records_[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("id", Napi::Number::New(env, s.id));
      o.Set("state", Napi::Number::New(env, s.state));
      o.Set("stationName", ToJs(env, s.station));
      o.Set("userName", ToJs(env, s.user));
      o.Set("domain", ToJs(env, s.domain));
      array.Set(static_cast<uint32_t>(i), o);
    }
    return array;
  }

 private:
  std::optional<std::u16string> server_;
  std::vector<Summary> records_;
};

}  // namespace

Napi::Value ListSessionSummaries(const Napi::CallbackInfo& info) {
  auto server = ReadServer(info, 0);
  const bool remote = server.has_value();
  return StartJob(info.Env(), "windows-sessions:listSessionSummaries", ListSummariesJob(std::move(server)), remote);
}

}  // namespace wts
