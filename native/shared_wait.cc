#include "shared_wait.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "blocking_pool.h"
#include "wts_holders.h"

namespace wts {

class SharedWait {
 public:
  explicit SharedWait(std::optional<std::u16string> key) : key(std::move(key)) {}

  const std::optional<std::u16string> key;
  ServerHandle handle;
  // Guarded by Lock().
  std::vector<std::shared_ptr<EventSink>> sinks;
  bool pumping = false;
  uint64_t returns = 0;             // waits of the pump that have returned: a close knows its flush arrived
  std::condition_variable changed;  // returns or pumping changed
};

namespace {

// How long a close waits for the pump's wait to return after a flush before it flushes again (the flush may have come
// before the wait registered). Each flush of a remote handle is an RPC, so not sooner.
constexpr auto kFlushSettle = std::chrono::milliseconds(50);

// Process-wide, never destroyed: pumps may still be waiting when the process exits.
std::mutex& Lock() {
  static auto* mutex = new std::mutex();
  return *mutex;
}

std::map<std::optional<std::u16string>, std::shared_ptr<SharedWait>>& Waits() {
  static auto* waits = new std::map<std::optional<std::u16string>, std::shared_ptr<SharedWait>>();
  return *waits;
}

std::optional<std::u16string> KeyOf(const std::optional<std::u16string>& server) {
  if (!server) return std::nullopt;
  // Host names compare case-insensitively; LCMapStringEx is KERNEL32's, so the addon imports no USER32 for it.
  std::u16string key(server->size(), u'\0');
  const int length = static_cast<int>(server->size());
  if (length > 0 && LCMapStringEx(LOCALE_NAME_INVARIANT, LCMAP_LOWERCASE, reinterpret_cast<LPCWSTR>(server->c_str()),
                                  length, reinterpret_cast<LPWSTR>(&key[0]), length, nullptr, nullptr, 0) != length) {
    return server;  // not expected for a host name; then it is matched as written
  }
  return key;
}

// Under Lock(): a later join opens a fresh handle.
void Forget(const std::shared_ptr<SharedWait>& wait) {
  auto found = Waits().find(wait->key);
  if (found != Waits().end() && found->second == wait) Waits().erase(found);
}

// The one wait of a server, for as long as anyone subscribes: every event kind, each result to every subscriber.
void Pump(const std::shared_ptr<SharedWait>& wait) {
  for (;;) {
    {
      std::lock_guard<std::mutex> guard(Lock());
      if (wait->sinks.empty()) {
        wait->pumping = false;
        Forget(wait);
        wait->changed.notify_all();
        return;
      }
    }
    DWORD flags = WTS_EVENT_NONE;
    Failure failure;
    if (!WTSWaitSystemEvent(wait->handle.Get(), WTS_EVENT_ALL, &flags)) failure = LastError("WTSWaitSystemEvent");
    std::vector<std::shared_ptr<EventSink>> sinks;
    {
      std::lock_guard<std::mutex> guard(Lock());
      ++wait->returns;
      sinks = wait->sinks;
      if (failure) {
        wait->pumping = false;
        if (sinks.empty()) Forget(wait);
      }
      wait->changed.notify_all();
    }
    if (failure) {
      Describe(failure);
      for (auto& sink : sinks) sink->OnFailure(*failure);
      return;
    }
    // WTS_EVENT_NONE: a flush (a close, or another program's), not an event.
    if (flags != WTS_EVENT_NONE)
      for (auto& sink : sinks) sink->OnEvents(flags);
  }
}

}  // namespace

Failure JoinWait(const std::optional<std::u16string>& server, std::shared_ptr<EventSink> sink,
                 std::shared_ptr<SharedWait>* joined) {
  const auto key = KeyOf(server);
  {
    std::lock_guard<std::mutex> guard(Lock());
    auto found = Waits().find(key);
    if (found != Waits().end()) {
      found->second->sinks.push_back(std::move(sink));
      *joined = found->second;
      return std::nullopt;
    }
  }
  // Opened outside the lock: an open can take its time, and other servers' subscribers must not wait for it.
  auto fresh = std::make_shared<SharedWait>(key);
  if (auto failure = fresh->handle.Open(server)) return failure;
  std::lock_guard<std::mutex> guard(Lock());
  auto found = Waits().find(key);
  if (found != Waits().end()) {
    // Another join won meanwhile: ours closes here, off the main thread.
    found->second->sinks.push_back(std::move(sink));
    *joined = found->second;
    return std::nullopt;
  }
  // Subscribed before it is listed: if either allocation fails (std::bad_alloc, turned into a rejection by the
  // worker), nothing keeps the wait, and its handle closes with it.
  fresh->sinks.push_back(std::move(sink));
  Waits().emplace(key, fresh);
  *joined = std::move(fresh);
  return std::nullopt;
}

Failure EnsurePump(const std::shared_ptr<SharedWait>& wait) {
  {
    std::lock_guard<std::mutex> guard(Lock());
    if (wait->pumping) return std::nullopt;
    wait->pumping = true;
  }
  bool full = false;
  if (WaitPool().PostNow([wait] { Pump(wait); }, &full)) return std::nullopt;
  std::lock_guard<std::mutex> guard(Lock());
  wait->pumping = false;
  if (full) return Win32Failure{ERROR_TOO_MANY_TCBS, "WaitPool"};
  return Win32Failure{ERROR_NO_SYSTEM_RESOURCES, "CreateThread"};
}

bool LeaveWait(const std::shared_ptr<SharedWait>& wait, const EventSink* sink) {
  std::lock_guard<std::mutex> guard(Lock());
  auto& sinks = wait->sinks;
  for (auto it = sinks.begin(); it != sinks.end(); ++it) {
    if (it->get() != sink) continue;
    sinks.erase(it);
    if (!sinks.empty()) return false;
    // A running pump forgets the wait itself when it ends: until then a new subscriber joins it rather than post a
    // second wait on the same handle.
    if (!wait->pumping) Forget(wait);
    return true;
  }
  return false;
}

Failure EndWait(std::shared_ptr<SharedWait> wait, int tries) {
  uint64_t seen = 0;
  {
    std::lock_guard<std::mutex> guard(Lock());
    if (!wait->sinks.empty() || !wait->pumping) return std::nullopt;
    seen = wait->returns;
  }
  for (int i = 0; i < tries; ++i) {
    DWORD flags = 0;
    if (!WTSWaitSystemEvent(wait->handle.Get(), WTS_EVENT_FLUSH, &flags)) return LastError("WTSWaitSystemEvent");
    std::unique_lock<std::mutex> lock(Lock());
    const bool released = wait->changed.wait_for(
        lock, kFlushSettle, [&] { return !wait->sinks.empty() || !wait->pumping || wait->returns != seen; });
    if (released) break;
  }
  return std::nullopt;
}

}  // namespace wts
