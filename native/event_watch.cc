#include "event_watch.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "args.h"
#include "blocking_pool.h"
#include "job_worker.h"
#include "shared_wait.h"
#include "thread_worker.h"

namespace wts {

namespace {

// A close repeats its flush this often at most, 50 ms apart, until the shared wait has returned (a flush that comes
// just before the wait registers is lost): about 3 s.
constexpr int kFlushTries = 60;

class EnvWatches;

// One watch: a subscriber of its server's shared wait, owned by one environment.
class Watch final : public EventSink, public std::enable_shared_from_this<Watch> {
 public:
  explicit Watch(std::shared_ptr<EnvWatches> env) : env_(std::move(env)) {}

  void OnEvents(DWORD flags) override;
  void OnFailure(const Win32Failure& failure) override;

  // Main thread: settles the pending waitEvent if what came answers it. True when settled.
  bool TrySettle(Napi::Env env);
  // Main thread: the start of a waitEvent. Settled at once when an event or a failure is already there.
  Napi::Promise Wait(Napi::Env env, DWORD mask);
  // Main thread: a pending waitEvent resolves with 0.
  void Close(Napi::Env env);
  // Teardown: nothing may be settled any more.
  void Abandon();

  std::shared_ptr<SharedWait> shared;

 private:
  std::shared_ptr<EnvWatches> env_;
  std::mutex mutex_;
  DWORD buffered_ = 0;
  Failure failure_;
  bool waiting_ = false;
  // Main thread only.
  std::optional<Napi::Promise::Deferred> pending_;
  DWORD mask_ = 0;
};

// The watches of one environment (the main thread, or one worker_thread), by id, and the thread-safe function
// through which the pumps reach it. Its teardown leaves every shared wait without blocking: the last subscriber out
// of a server hands the flush and the handle's close to the close pool, and the other environments' watches go on.
class EnvWatches {
 public:
  static void OnSettle(Napi::Env env, Napi::Function, std::nullptr_t*, std::shared_ptr<Watch>* watch) {
    std::unique_ptr<std::shared_ptr<Watch>> owner(watch);
    if (env == nullptr) return;
    try {
      Napi::HandleScope scope(env);
      (*watch)->TrySettle(env);
    } catch (...) {  // NOLINT(bugprone-empty-catch): while the environment winds down any call may fail
    }
  }
  using Notifier = Napi::TypedThreadSafeFunction<std::nullptr_t, std::shared_ptr<Watch>, &EnvWatches::OnSettle>;

  // Any thread: asks the main thread to settle `watch`'s pending waitEvent; nothing once the environment is gone.
  void Notify(std::shared_ptr<Watch> watch) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!alive_) return;
    auto* data = new std::shared_ptr<Watch>(std::move(watch));
    if (notifier_.NonBlockingCall(data) != napi_ok) delete data;
  }

  // 0 when the environment is already gone (an open that finished during its teardown): the caller leaves.
  DWORD Add(std::shared_ptr<Watch> watch) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!alive_) return 0;
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

  // Cleanup hook, on the environment's thread: its argument is the std::shared_ptr<EnvWatches>* made at init.
  static void OnEnvTeardown(void* arg);

  Notifier notifier_;

 private:
  std::mutex mutex_;
  std::map<DWORD, std::shared_ptr<Watch>> watches_;
  DWORD lastId_ = 0;
  bool alive_ = true;
};

// The last subscriber of a server is out: its flush and close go to the close pool, which never queues behind
// waits. Without a thread to be had, done here (bounded by kFlushTries) rather than leave a wait blocked.
void EndOnClosePool(std::shared_ptr<SharedWait> shared) {
  if (ClosePool().Post([shared] { EndWait(shared, kFlushTries); })) return;
  EndWait(std::move(shared), kFlushTries);
}

// Leaves the shared wait; true when the caller was the last subscriber of its server.
bool Leave(Watch& watch) { return watch.shared && LeaveWait(watch.shared, &watch); }

void Watch::OnEvents(DWORD flags) {
  bool notify;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    buffered_ |= flags;
    notify = waiting_;
  }
  if (notify) env_->Notify(shared_from_this());
}

void Watch::OnFailure(const Win32Failure& failure) {
  bool notify;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    failure_ = failure;
    notify = waiting_;
  }
  if (notify) env_->Notify(shared_from_this());
}

bool Watch::TrySettle(Napi::Env env) {
  if (!pending_) return false;
  Failure failure;
  DWORD hit = 0;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    failure.swap(failure_);
    hit = buffered_ & mask_;
    buffered_ = 0;  // kinds not asked for are dropped, as a wait with this mask would never report them
    if (!failure && hit == 0) return false;
    waiting_ = false;
  }
  Napi::Promise::Deferred deferred = *pending_;
  pending_.reset();
  if (failure) {
    deferred.Reject(MakeWin32Error(env, *failure).Value());
  } else {
    deferred.Resolve(Napi::Number::New(env, hit));
  }
  return true;
}

Napi::Promise Watch::Wait(Napi::Env env, DWORD mask) {
  if (pending_) throw Napi::Error::New(env, "a wait is already pending on this watch");
  auto deferred = Napi::Promise::Deferred::New(env);
  pending_ = deferred;
  mask_ = mask;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    waiting_ = true;
  }
  if (TrySettle(env)) return deferred.Promise();
  if (Failure failure = EnsurePump(shared)) {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      waiting_ = false;
    }
    pending_.reset();
    Describe(failure);
    deferred.Reject(MakeWin32Error(env, *failure).Value());
  }
  return deferred.Promise();
}

void Watch::Close(Napi::Env env) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    waiting_ = false;
  }
  if (!pending_) return;
  Napi::Promise::Deferred deferred = *pending_;
  pending_.reset();
  deferred.Resolve(Napi::Number::New(env, WTS_EVENT_NONE));
}

void Watch::Abandon() {
  std::lock_guard<std::mutex> guard(mutex_);
  waiting_ = false;
}

void EnvWatches::OnEnvTeardown(void* arg) {
  auto* holder = static_cast<std::shared_ptr<EnvWatches>*>(arg);
  EnvWatches& self = **holder;
  std::map<DWORD, std::shared_ptr<Watch>> watches;
  {
    std::lock_guard<std::mutex> guard(self.mutex_);
    self.alive_ = false;
    watches.swap(self.watches_);
  }
  self.notifier_.Release();
  // Nothing here blocks: the flushes and closes happen on the close pool (issue 20, item 5).
  for (auto& entry : watches) {
    entry.second->Abandon();
    if (Leave(*entry.second)) EndOnClosePool(entry.second->shared);
  }
  delete holder;
}

std::shared_ptr<EnvWatches> Watches(Napi::Env env) { return *env.GetInstanceData<std::shared_ptr<EnvWatches>>(); }

class OpenWatchJob {
 public:
  OpenWatchJob(std::shared_ptr<EnvWatches> env, std::optional<std::u16string> server)
      : env_(std::move(env)), server_(std::move(server)) {}

  Failure Run() {
    auto watch = std::make_shared<Watch>(env_);
    if (auto failure = JoinWait(server_, watch, &watch->shared)) return failure;
    try {
      id_ = env_->Add(watch);
    } catch (...) {
      // Not registered (out of memory): it must not stay subscribed, or its server's handle would never close. No
      // wait was posted for it, so leaving is all: the handle closes with the last reference.
      Leave(*watch);
      throw;
    }
    if (id_ == 0 && Leave(*watch)) EndOnClosePool(watch->shared);
    return std::nullopt;
  }
  Napi::Value Result(Napi::Env env) { return Napi::Number::New(env, id_); }

 private:
  std::shared_ptr<EnvWatches> env_;
  std::optional<std::u16string> server_;
  DWORD id_ = 0;
};

class CloseWatchWorker final : public ThreadWorker {
 public:
  explicit CloseWatchWorker(std::shared_ptr<SharedWait> shared)
      : ThreadWorker("windows-sessions:closeWatch"), shared_(std::move(shared)) {}

 private:
  Failure Run() override { return EndWait(std::move(shared_), kFlushTries); }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }
  // The watch has left its environment, so that environment's teardown no longer ends the wait: this must.
  bool RunsAfterTeardown() const override { return true; }

  std::shared_ptr<SharedWait> shared_;
};

Napi::Promise Resolved(Napi::Env env) {
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Resolve(env.Undefined());
  return deferred.Promise();
}

}  // namespace

void InitWatches(Napi::Env env) {
  auto watches = std::make_shared<EnvWatches>();
  watches->notifier_ = EnvWatches::Notifier::New(env, "windows-sessions:watchEvents", 0, 1);
  watches->notifier_.Unref(env);  // the JS side keeps the process alive while it waits
  auto* holder = new std::shared_ptr<EnvWatches>(std::move(watches));
  // No finalizer: the cleanup hook lets go. Added after the thread-safe function, so it runs before that function's
  // own hook (hooks run in reverse order) and no pump calls it after.
  napi_set_instance_data(env, holder, nullptr, nullptr);
  napi_add_env_cleanup_hook(env, &EnvWatches::OnEnvTeardown, holder);
}

Napi::Value OpenWatch(const Napi::CallbackInfo& info) {
  auto server = ReadServer(info, 0);
  const bool remote = server.has_value();
  return StartJob(info.Env(), "windows-sessions:openWatch", OpenWatchJob(Watches(info.Env()), std::move(server)),
                  remote);
}

Napi::Value WaitEvent(const Napi::CallbackInfo& info) {
  const DWORD id = ReadUint32(info, 0);
  const DWORD mask = ReadUint32(info, 1);
  if (mask == 0 || (mask & WTS_EVENT_FLUSH) != 0) throw Napi::RangeError::New(info.Env(), "invalid event mask");
  std::shared_ptr<Watch> watch = Watches(info.Env())->Find(id);
  if (!watch) throw Napi::Error::New(info.Env(), "no such watch (closed already?)");
  return watch->Wait(info.Env(), mask);
}

Napi::Value CloseWatch(const Napi::CallbackInfo& info) {
  std::shared_ptr<Watch> watch = Watches(info.Env())->Remove(ReadUint32(info, 0));
  if (!watch) return Resolved(info.Env());
  // Left first: Close can throw (out of memory; under MinGW even a mutex's first lock allocates), and a watch that
  // stayed subscribed would keep its server's handle open for ever.
  const bool last = Leave(*watch);
  try {
    watch->Close(info.Env());
  } catch (...) {
    if (last) EndOnClosePool(watch->shared);
    throw;
  }
  if (!last) return Resolved(info.Env());
  // On a pool of its own, off libuv's: a close may repeat its flush for seconds, or hang in RPC on a remote host.
  return ThreadWorker::Start(info.Env(), new CloseWatchWorker(watch->shared), ClosePool());
}

}  // namespace wts
