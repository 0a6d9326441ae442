// listSessions(server): WTSEnumerateSessionsW, then each session's details, in one call from JS.
#include <vector>

#include "args.h"
#include "operations.h"
#include "promise_worker.h"
#include "session_query.h"
#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

class ListSessionsWorker final : public PromiseWorker {
 public:
  ListSessionsWorker(Napi::Env env, std::optional<std::u16string> server)
      : PromiseWorker(env, "windows-sessions:listSessions"), server_(std::move(server)) {}

 private:
  Failure Run() override {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    WtsMemory<WTS_SESSION_INFOW> list;
    DWORD count = 0;
    if (!WTSEnumerateSessionsW(server.Get(), 0, 1, list.Out(), &count)) return LastError("WTSEnumerateSessionsW");
    DWORD current = 0;
    // Only the local machine has a session this process runs in.
    const bool knowsCurrent = server.IsLocal() && !CurrentProcessSession(current);
    records_.reserve(count);
    for (DWORD i = 0; i < count; ++i) {
      SessionRecord record;
      record.id = list[i].SessionId;
      record.stationName = FromPointer(list[i].pWinStationName);
      record.state = static_cast<DWORD>(list[i].State);
      if (auto failure = QuerySession(server.Get(), record, false)) {
        // Ended since the enumeration: not part of the answer, not a failed listing.
        if (IsVanishedSession(failure->code)) continue;
        return failure;
      }
      record.isCurrent = knowsCurrent && record.id == current;
      records_.push_back(std::move(record));
    }
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) override {
    Napi::Array array = Napi::Array::New(env, records_.size());
    for (size_t i = 0; i < records_.size(); ++i) array.Set(static_cast<uint32_t>(i), ToJs(env, records_[i]));
    return array;
  }

  std::optional<std::u16string> server_;
  std::vector<SessionRecord> records_;
};

}  // namespace

Napi::Value ListSessions(const Napi::CallbackInfo& info) {
  return PromiseWorker::Start(new ListSessionsWorker(info.Env(), ReadServer(info, 0)));
}

}  // namespace wts
