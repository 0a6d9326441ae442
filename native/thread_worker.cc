#include "thread_worker.h"

#include <thread>

namespace wts {

Napi::Promise ThreadWorker::Start(Napi::Env env, ThreadWorker* worker) {
  worker->deferred_ = std::make_unique<Napi::Promise::Deferred>(env);
  worker->completion_ = Completion::New(env, worker->resourceName_, 0, 1);
  worker->completion_.Unref(env);
  Napi::Promise promise = worker->deferred_->Promise();
  std::thread([worker]() {
    worker->failure_ = worker->Run();
    // Copied first: Settle deletes the worker, possibly before BlockingCall returns here.
    Completion completion = worker->completion_;
    if (completion.BlockingCall(worker) != napi_ok) delete worker;  // Node is shutting down: nobody to tell.
    completion.Release();
  }).detach();
  return promise;
}

void ThreadWorker::Settle(Napi::Env env, Napi::Function, std::nullptr_t*, ThreadWorker* worker) {
  std::unique_ptr<ThreadWorker> owner(worker);
  if (env == nullptr) return;
  Napi::HandleScope scope(env);
  if (worker->failure_) {
    worker->deferred_->Reject(MakeWin32Error(env, *worker->failure_).Value());
    return;
  }
  try {
    worker->deferred_->Resolve(worker->Result(env));
  } catch (const Napi::Error& error) {
    worker->deferred_->Reject(error.Value());
  }
}

}  // namespace wts
