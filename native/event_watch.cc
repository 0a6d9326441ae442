#include "event_watch.h"

#include <map>
#include <mutex>

#include "args.h"
#include "promise_worker.h"
#include "thread_worker.h"

namespace wts {

namespace {

// Watches by id, shared by every Node environment (main thread and workers) of the process.
class WatchRegistry {
 public:
  DWORD Add(std::shared_ptr<ServerHandle> handle) {
    std::lock_guard<std::mutex> guard(mutex_);
    const DWORD id = ++lastId_;
    watches_.emplace(id, std::move(handle));
    return id;
  }
  std::shared_ptr<ServerHandle> Find(DWORD id) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto found = watches_.find(id);
    return found == watches_.end() ? nullptr : found->second;
  }
  std::shared_ptr<ServerHandle> Remove(DWORD id) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto found = watches_.find(id);
    if (found == watches_.end()) return nullptr;
    std::shared_ptr<ServerHandle> handle = std::move(found->second);
    watches_.erase(found);
    return handle;
  }

 private:
  std::mutex mutex_;
  std::map<DWORD, std::shared_ptr<ServerHandle>> watches_;
  DWORD lastId_ = 0;
};

WatchRegistry& Registry() {
  static WatchRegistry* registry = new WatchRegistry();  // never destroyed: waits may outlive module unload
  return *registry;
}

class OpenWatchWorker final : public PromiseWorker {
 public:
  OpenWatchWorker(Napi::Env env, std::optional<std::u16string> server)
      : PromiseWorker(env, "windows-sessions:openWatch"), server_(std::move(server)) {}

 private:
  Failure Run() override {
    auto handle = std::make_shared<ServerHandle>();
    if (auto failure = handle->Open(server_)) return failure;
    id_ = Registry().Add(std::move(handle));
    return std::nullopt;
  }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, id_); }

  std::optional<std::u16string> server_;
  DWORD id_ = 0;
};

class WaitEventWorker final : public ThreadWorker {
 public:
  WaitEventWorker(std::shared_ptr<ServerHandle> handle, DWORD mask)
      : ThreadWorker("windows-sessions:waitEvent"), handle_(std::move(handle)), mask_(mask) {}

 private:
  Failure Run() override {
    if (!WTSWaitSystemEvent(handle_->Get(), mask_, &flags_)) return LastError("WTSWaitSystemEvent");
    handle_.reset();  // closes the server handle here, off the main thread, if the watch was closed meanwhile
    return std::nullopt;
  }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, flags_); }

  std::shared_ptr<ServerHandle> handle_;
  DWORD mask_;
  DWORD flags_ = 0;
};

class CloseWatchWorker final : public PromiseWorker {
 public:
  CloseWatchWorker(Napi::Env env, std::shared_ptr<ServerHandle> handle)
      : PromiseWorker(env, "windows-sessions:closeWatch"), handle_(std::move(handle)) {}

 private:
  Failure Run() override {
    DWORD flags = 0;
    // Releases a wait in progress; on the local handle it also wakes other watches, which just wait again.
    if (!WTSWaitSystemEvent(handle_->Get(), WTS_EVENT_FLUSH, &flags)) return LastError("WTSWaitSystemEvent");
    handle_.reset();
    return std::nullopt;
  }
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

  std::shared_ptr<ServerHandle> handle_;
};

DWORD ReadWatchId(const Napi::CallbackInfo& info) { return ReadUint32(info, 0); }

}  // namespace

Napi::Value OpenWatch(const Napi::CallbackInfo& info) {
  return PromiseWorker::Start(new OpenWatchWorker(info.Env(), ReadServer(info, 0)));
}

Napi::Value WaitEvent(const Napi::CallbackInfo& info) {
  const DWORD id = ReadWatchId(info);
  const DWORD mask = ReadUint32(info, 1);
  if (mask == 0 || (mask & WTS_EVENT_FLUSH) != 0) throw Napi::RangeError::New(info.Env(), "invalid event mask");
  std::shared_ptr<ServerHandle> handle = Registry().Find(id);
  if (!handle) throw Napi::Error::New(info.Env(), "no such watch (closed already?)");
  return ThreadWorker::Start(info.Env(), new WaitEventWorker(std::move(handle), mask));
}

Napi::Value CloseWatch(const Napi::CallbackInfo& info) {
  std::shared_ptr<ServerHandle> handle = Registry().Remove(ReadWatchId(info));
  if (!handle) {
    auto deferred = Napi::Promise::Deferred::New(info.Env());
    deferred.Resolve(info.Env().Undefined());
    return deferred.Promise();
  }
  return PromiseWorker::Start(new CloseWatchWorker(info.Env(), std::move(handle)));
}

}  // namespace wts
