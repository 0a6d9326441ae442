#include "thread_worker.h"

#include "caught_failure.h"

namespace wts {

void ThreadWorker::OnEnvTeardown(void* arg) {
  auto* life = static_cast<std::shared_ptr<Life>*>(arg);
  {
    std::lock_guard<std::mutex> guard((*life)->mutex);
    (*life)->alive = false;
  }
  delete life;
}

Napi::Promise ThreadWorker::Start(Napi::Env env, ThreadWorker* worker, BlockingPool& pool) {
  // Owned here until a thread or the thread-safe function has it: whatever throws before that frees it.
  std::unique_ptr<ThreadWorker> owned(worker);
  auto hookArg = std::make_unique<std::shared_ptr<Life>>(owned->life_);
  // MinGW's threads allocate a mutex at its first lock: done here, where failing is a rejection, so that the pool
  // thread's locks (RunAndSettle, Complete) cannot fail.
  { std::lock_guard<std::mutex> first(owned->life_->mutex); }
  owned->deferred_ = std::make_unique<Napi::Promise::Deferred>(env);
  owned->completion_ = Completion::New(env, owned->resourceName_, 0, 1);
  try {
    owned->completion_.Unref(env);
  } catch (...) {
    owned->completion_.Release();  // never called: let the environment free it
    throw;
  }
  // Nothing below throws until the pool is asked.
  // Registered after the thread-safe function, so that at teardown it runs before the function's own hook
  // (hooks run in reverse order).
  owned->hookArg_ = hookArg.release();
  napi_add_env_cleanup_hook(env, &ThreadWorker::OnEnvTeardown, owned->hookArg_);
  Napi::Promise promise = owned->deferred_->Promise();
  worker = owned.release();
  bool queued = false;
  try {
    queued = pool.Post([worker] { worker->RunAndSettle(); });
    // No thread to be had (and none running to queue behind): a clear rejection, never an abort.
    if (!queued) worker->failure_ = Win32Failure{ERROR_NO_SYSTEM_RESOURCES, "CreateThread"};
  } catch (...) {
    worker->failure_ = CaughtFailure();  // no memory to queue it
  }
  if (!queued) {
    Describe(worker->failure_);
    worker->Complete();
  }
  return promise;
}

void ThreadWorker::RunAndSettle() {
  bool dropped = false;
  {
    // A copy: once the teardown hook has let go of its own, the worker's life_ may be the last owner, and the
    // worker (with it the mutex) must not be deleted while the lock is held.
    std::shared_ptr<Life> life = life_;
    std::lock_guard<std::mutex> guard(life->mutex);
    // Its environment ended while it waited for a thread: nothing is shown or waited for on its behalf.
    dropped = !life->alive && !RunsAfterTeardown();
  }
  if (dropped) {
    delete this;
    return;
  }
  // Nothing may leave a pool thread (std::terminate): an exception is the promise's rejection.
  try {
    failure_ = Run();
  } catch (...) {
    failure_ = CaughtFailure();
  }
  Describe(failure_);
  Complete();
}

void ThreadWorker::Complete() {
  std::shared_ptr<Life> life = life_;
  std::unique_lock<std::mutex> lock(life->mutex);
  if (!life->alive) {
    // Its environment is gone (a terminated worker_thread, an exiting process): nobody to tell, nothing to touch.
    lock.unlock();
    delete this;
    return;
  }
  // Copied first: Settle deletes the worker, possibly before the call returns here.
  Completion completion = completion_;
  if (completion.NonBlockingCall(this) != napi_ok) delete this;
  completion.Release();
}

void ThreadWorker::Settle(Napi::Env env, Napi::Function, std::nullptr_t*, ThreadWorker* worker) {
  std::unique_ptr<ThreadWorker> owner(worker);
  if (env == nullptr) return;  // torn down meanwhile: the cleanup hook frees its own argument
  napi_remove_env_cleanup_hook(env, &ThreadWorker::OnEnvTeardown, worker->hookArg_);
  delete worker->hookArg_;
  // As in PromiseWorker: while the environment winds down every N-API call may fail; nothing may escape.
  try {
    Napi::HandleScope scope(env);
    if (worker->failure_) {
      worker->deferred_->Reject(MakeWin32Error(env, *worker->failure_).Value());
      return;
    }
    try {
      worker->deferred_->Resolve(worker->Result(env));
    } catch (const Napi::Error& error) {
      worker->deferred_->Reject(error.Value());
    } catch (...) {
      // No memory to build the result (a long listing, say): still an answer.
      Failure failure = CaughtFailure();
      Describe(failure);
      worker->deferred_->Reject(MakeWin32Error(env, *failure).Value());
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch)
  }
}

}  // namespace wts
