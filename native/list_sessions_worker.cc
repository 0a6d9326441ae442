// listSessions(server, concurrency, lockState): WTSEnumerateSessionsW, then each session's details, in one call from
// JS, with up to `concurrency` sessions queried at once.
#include <algorithm>
#include <atomic>
#include <vector>

#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "parallel_for.h"
#include "session_list.h"
#include "session_query.h"
#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

class ListSessionsJob {
 public:
  ListSessionsJob(std::optional<std::u16string> server, DWORD concurrency, bool lockState)
      : server_(std::move(server)), concurrency_(concurrency), lockState_(lockState) {}

  Failure Run() {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    WtsMemory<WTS_SESSION_INFOW> list;
    DWORD count = 0;
    if (!WTSEnumerateSessionsW(server.Get(), 0, 1, list.Out(), &count)) return LastError("WTSEnumerateSessionsW");
    DWORD current = 0;
    // Only the local machine has a session this process runs in.
    const bool knowsCurrent = server.IsLocal() && !CurrentProcessSession(current);
    std::vector<SessionRecord> slots(count);
    std::vector<char> found(count, 0);
    const QueryOptions options{false, lockState_, server.IsLocal()};
    const std::atomic<bool> never{false};  // one session never stops the listing
    // A thread per four sessions at most: below that, starting one costs more than the round trips it overlaps.
    const size_t threads = std::min<size_t>(concurrency_, (count + 3) / 4);
    ParallelFor(count, threads, never, [&](size_t i) {
      SessionRecord& record = slots[i];
      record.id = list[i].SessionId;
      record.stationName = FromPointer(list[i].pWinStationName);
      record.state = static_cast<DWORD>(list[i].State);
      if (auto failure = QuerySession(server.Get(), record, options)) {
        // Ended since the enumeration: not part of the answer.
        if (IsVanishedSession(failure->code)) return;
        // Still there, but unreadable: listed with what the enumeration gave, and why the rest is missing.
        record.failures.push_back({WTSSessionInfo, failure->code});
      }
      record.isCurrent = knowsCurrent && record.id == current;
      found[i] = 1;
    });
    records_.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (found[i]) records_.push_back(std::move(slots[i]));
    }
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) { return WrapSessionList(env, std::move(records_)); }

 private:
  std::optional<std::u16string> server_;
  DWORD concurrency_;
  bool lockState_;
  std::vector<SessionRecord> records_;
};

}  // namespace

Napi::Value ListSessions(const Napi::CallbackInfo& info) {
  auto server = ReadServer(info, 0);
  // Optional. By default 16 queries at once for a remote host, where each is a network round trip, and 4 for this
  // machine, where they are quick local calls and more threads would only compete with the event loop for the CPU.
  // 1 gives the sequential baseline the benchmark compares against.
  const DWORD concurrency = !info[1].IsUndefined() && !info[1].IsNull() ? ReadUint32(info, 1) : server ? 16 : 4;
  if (concurrency < 1 || concurrency > 64) throw Napi::RangeError::New(info.Env(), "concurrency must be 1 to 64");
  const bool lockState = info.Length() > 2 && info[2].IsBoolean() && info[2].As<Napi::Boolean>().Value();
  const bool remote = server.has_value();
  return StartJob(info.Env(), "windows-sessions:listSessions",
                  ListSessionsJob(std::move(server), concurrency, lockState), remote);
}

}  // namespace wts
