// listSessions(server, concurrency, lockState): WTSEnumerateSessionsW, then each session's details, in one call from
// JS, with up to `concurrency` sessions queried at once.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <vector>

#include "args.h"
#include "job_worker.h"
#include "operations.h"
#include "parallel_for.h"
#include "remote_clock.h"
#include "session_list.h"
#include "session_query.h"
#include "text.h"
#include "wts_holders.h"

namespace wts {

namespace {

// A local call that waits for nothing takes tens of µs (npm run bench under Wine: 17 µs on average, a few hundred at
// the start of a listing); one that waits for a busy service takes longer than this.
constexpr auto kWaitsAfter = std::chrono::milliseconds(1);

class ListSessionsJob {
 public:
  // `fixedLanes`: the caller chose the concurrency, so it is used as given, without timing the first sessions.
  ListSessionsJob(std::optional<std::u16string> server, DWORD concurrency, bool fixedLanes, bool lockState)
      : server_(std::move(server)), concurrency_(concurrency), fixedLanes_(fixedLanes), lockState_(lockState) {}

  Failure Run() {
    ServerHandle server;
    if (auto failure = server.Open(server_)) return failure;
    const int64_t readStart = CallerClockMs();
    WtsMemory<WTS_SESSION_INFOW> list;
    DWORD count = 0;
    if (!WTSEnumerateSessionsW(server.Get(), 0, 1, list.Out(), &count)) return LastError("WTSEnumerateSessionsW");
    // A remote host's durations are measured on its own clock (remote_clock.h), read once per listing, before its
    // sessions' queries.
    if (!server.IsLocal()) clock_ = ReadRemoteClock(*server_, readStart);
    DWORD current = 0;
    // Only the local machine has a session this process runs in.
    const bool knowsCurrent = server.IsLocal() && !CurrentProcessSession(current);
    std::vector<SessionRecord> slots(count);
    std::vector<char> found(count, 0);
    const QueryOptions options{false, lockState_, server.IsLocal()};
    const std::atomic<bool> never{false};  // one session never stops the listing
    auto read = [&](size_t i) {
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
    };
    // Lanes overlap waiting, not work. A remote host's queries are network round trips: always overlapped. On this
    // machine the first two sessions' queries, timed one by one, tell: when either returned within kWaitsAfter, the
    // calls do not wait for anything, and more lanes would only add thread hand-offs (npm run bench: 1,000 sessions
    // took 48.6 ms in one lane and 60.4 ms in four when every call returns at once). Two, so that one call delayed
    // by the scheduler does not decide.
    size_t start = 0;
    bool waits = fixedLanes_ || !server.IsLocal();
    if (!waits) {
      waits = count > 0;
      for (; start < std::min<size_t>(count, 2); ++start) {
        const auto began = std::chrono::steady_clock::now();
        read(start);
        waits = waits && std::chrono::steady_clock::now() - began >= kWaitsAfter;
      }
    }
    // A thread per four sessions at most: below that, starting one costs more than the round trips it overlaps.
    const size_t rest = count - start;
    const size_t threads = waits ? std::min<size_t>(concurrency_, (rest + 3) / 4) : 1;
    ParallelFor(rest, threads, never, [&](size_t i) { read(start + i); });
    if (clock_) clock_->end = CallerClockMs();
    records_.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (found[i]) records_.push_back(std::move(slots[i]));
    }
    return std::nullopt;
  }

  Napi::Value Result(Napi::Env env) {
    Napi::Object result = WrapSessionList(env, std::move(records_));
    if (clock_) result.Set("remoteClock", RemoteClockToJs(env, *clock_));
    return result;
  }

 private:
  std::optional<std::u16string> server_;
  DWORD concurrency_;
  bool fixedLanes_;
  bool lockState_;
  std::vector<SessionRecord> records_;
  std::optional<RemoteClock> clock_;
};

}  // namespace

Napi::Value ListSessions(const Napi::CallbackInfo& info) {
  auto server = ReadServer(info, 0);
  // Optional. By default 16 queries at once for a remote host, where each is a network round trip, and up to 4 for
  // this machine, only when its calls are found to wait (more threads would otherwise only compete with the event
  // loop for the CPU). Given, it is used as is: 1 gives the sequential baseline the benchmark compares against.
  const bool fixedLanes = !info[1].IsUndefined() && !info[1].IsNull();
  const DWORD concurrency = fixedLanes ? ReadUint32(info, 1) : server ? 16 : 4;
  if (concurrency < 1 || concurrency > 64) throw Napi::RangeError::New(info.Env(), "concurrency must be 1 to 64");
  const bool lockState = info.Length() > 2 && info[2].IsBoolean() && info[2].As<Napi::Boolean>().Value();
  const bool remote = server.has_value();
  return StartJob(info.Env(), "windows-sessions:listSessions",
                  ListSessionsJob(std::move(server), concurrency, fixedLanes, lockState), remote);
}

}  // namespace wts
