#include "event_watch.h"

#include <atomic>
#include <map>
#include <mutex>

#include "args.h"
#include "job_worker.h"
#include "thread_worker.h"

namespace wts {

namespace {

// A flush releases only the waits already begun on the handle, so a close repeats it, this often at most and this
// far apart, until its own watch's wait has returned (one that started just after a flush would otherwise hang
// until the next real event).
constexpr int kFlushTries = 300;
constexpr int kTeardownFlushTries = 50;
constexpr DWORD kFlushRetryMs = 10;

// One watch: its server handle, and what a close needs to know to release its wait whatever the timing.
struct Watch {
  ServerHandle handle;
  std::atomic<bool> closed{false};
  std::atomic<int> waiting{0};
};

// A flush releases only the waits already registered on the handle, so it is repeated, a bounded number of times,
// until the watch's own wait has returned.
Failure ReleaseWait(Watch& watch, int tries) {
  watch.closed = true;
  for (int i = 0; i < tries; ++i) {
    DWORD flags = 0;
    if (!WTSWaitSystemEvent(watch.handle.Get(), WTS_EVENT_FLUSH, &flags)) return LastError("WTSWaitSystemEvent");
    if (watch.waiting == 0) break;
    Sleep(kFlushRetryMs);
  }
  return std::nullopt;
}

// The watches of one Node environment (the main thread, or one worker_thread), by id: ids of one environment
// mean nothing in another, and its teardown closes them all, so that no wait stays blocked and no server handle
// stays open for an environment that is gone.
class WatchRegistry {
 public:
  // 0 when the environment is already gone (an open that finished during its teardown): the watch is let go.
  DWORD Add(std::shared_ptr<Watch> watch) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (closed_) return 0;
    const DWORD id = ++lastId_;
    watches_.emplace(id, std::move(watch));
    return id;
  }
  std::shared_ptr<Watch> Find(DWORD id) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto found = watches_.find(id);
    return found == watches_.end() ? nullptr : found->second;
  }
  std::shared_ptr<Watch> Remove(DWORD id) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto found = watches_.find(id);
    if (found == watches_.end()) return nullptr;
    std::shared_ptr<Watch> watch = std::move(found->second);
    watches_.erase(found);
    return watch;
  }

  // Environment teardown (a cleanup hook, on its thread): releases every wait and forgets every watch; each server
  // handle closes as its last wait lets go of it.
  // The argument is the environment's std::shared_ptr<WatchRegistry>*; an open still in flight keeps the registry
  // itself alive until it finishes.
  static void OnEnvTeardown(void* arg) {
    auto* holder = static_cast<std::shared_ptr<WatchRegistry>*>(arg);
    WatchRegistry& registry = **holder;
    std::map<DWORD, std::shared_ptr<Watch>> watches;
    {
      std::lock_guard<std::mutex> guard(registry.mutex_);
      registry.closed_ = true;
      watches.swap(registry.watches_);
    }
    // Fewer tries than a close: teardown must not hang on a wait that will not come back.
    for (auto& entry : watches) ReleaseWait(*entry.second, kTeardownFlushTries);
    delete holder;
  }

 private:
  std::mutex mutex_;
  std::map<DWORD, std::shared_ptr<Watch>> watches_;
  DWORD lastId_ = 0;
  bool closed_ = false;
};

std::shared_ptr<WatchRegistry> Registry(Napi::Env env) {
  return *env.GetInstanceData<std::shared_ptr<WatchRegistry>>();
}

class OpenWatchJob {
 public:
  OpenWatchJob(std::shared_ptr<WatchRegistry> registry, std::optional<std::u16string> server)
      : registry_(std::move(registry)), server_(std::move(server)) {}

  Failure Run() {
    auto watch = std::make_shared<Watch>();
    if (auto failure = watch->handle.Open(server_)) return failure;
    id_ = registry_->Add(std::move(watch));
    return std::nullopt;
  }
  Napi::Value Result(Napi::Env env) { return Napi::Number::New(env, id_); }

 private:
  std::shared_ptr<WatchRegistry> registry_;
  std::optional<std::u16string> server_;
  DWORD id_ = 0;
};

class WaitEventWorker final : public ThreadWorker {
 public:
  WaitEventWorker(std::shared_ptr<Watch> watch, DWORD mask)
      : ThreadWorker("windows-sessions:waitEvent"), watch_(std::move(watch)), mask_(mask) {}

 private:
  Failure Run() override {
    // Counted before the closed check, and the close sets closed before it counts: one of them sees the other.
    ++watch_->waiting;
    Failure failure;
    if (!watch_->closed && !WTSWaitSystemEvent(watch_->handle.Get(), mask_, &flags_)) {
      failure = LastError("WTSWaitSystemEvent");
    }
    --watch_->waiting;
    watch_.reset();  // closes the server handle here, off the main thread, if the watch was closed meanwhile
    return failure;
  }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, flags_); }

  std::shared_ptr<Watch> watch_;
  DWORD mask_;
  DWORD flags_ = 0;
};

class CloseWatchWorker final : public ThreadWorker {
 public:
  explicit CloseWatchWorker(std::shared_ptr<Watch> watch)
      : ThreadWorker("windows-sessions:closeWatch"), watch_(std::move(watch)) {}

 private:
  Failure Run() override {
    // A flush releases every wait on the handle, and the local handle is shared by the whole process, so other
    // local watches wake with no event too: they wait again (lib/native/native-backend.ts).
    Failure failure = ReleaseWait(*watch_, kFlushTries);
    watch_.reset();
    return failure;
  }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }
  // The watch has left its environment's registry, so that environment's teardown no longer releases it: this must.
  bool RunsAfterTeardown() const override { return true; }

  std::shared_ptr<Watch> watch_;
};

DWORD ReadWatchId(const Napi::CallbackInfo& info) { return ReadUint32(info, 0); }

}  // namespace

void InitWatches(Napi::Env env) {
  auto* holder = new std::shared_ptr<WatchRegistry>(std::make_shared<WatchRegistry>());
  // No finalizer: the cleanup hook lets go of the registry, after releasing the waits that still use its watches.
  napi_set_instance_data(env, holder, nullptr, nullptr);
  napi_add_env_cleanup_hook(env, &WatchRegistry::OnEnvTeardown, holder);
}

Napi::Value OpenWatch(const Napi::CallbackInfo& info) {
  auto server = ReadServer(info, 0);
  const bool remote = server.has_value();
  return StartJob(info.Env(), "windows-sessions:openWatch", OpenWatchJob(Registry(info.Env()), std::move(server)),
                  remote);
}

Napi::Value WaitEvent(const Napi::CallbackInfo& info) {
  const DWORD id = ReadWatchId(info);
  const DWORD mask = ReadUint32(info, 1);
  if (mask == 0 || (mask & WTS_EVENT_FLUSH) != 0) throw Napi::RangeError::New(info.Env(), "invalid event mask");
  std::shared_ptr<Watch> watch = Registry(info.Env())->Find(id);
  if (!watch) throw Napi::Error::New(info.Env(), "no such watch (closed already?)");
  return ThreadWorker::Start(info.Env(), new WaitEventWorker(std::move(watch), mask), WaitPool());
}

Napi::Value CloseWatch(const Napi::CallbackInfo& info) {
  std::shared_ptr<Watch> watch = Registry(info.Env())->Remove(ReadWatchId(info));
  if (!watch) {
    auto deferred = Napi::Promise::Deferred::New(info.Env());
    deferred.Resolve(info.Env().Undefined());
    return deferred.Promise();
  }
  // On a pool of its own, off libuv's: a close may repeat its flush for seconds, or hang in RPC on a remote host.
  return ThreadWorker::Start(info.Env(), new CloseWatchWorker(std::move(watch)), ClosePool());
}

}  // namespace wts
