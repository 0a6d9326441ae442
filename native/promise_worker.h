// Base of every operation: Run() does the Win32 work on a libuv worker thread (never the event loop), Result()
// builds the JS value on the main thread, and the promise settles on every path.
#pragma once

#include <napi.h>

#include <memory>

#include "caught_failure.h"
#include "win32_failure.h"

namespace wts {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  // Queues the worker and returns its promise; the worker deletes itself when done.
  static Napi::Promise Start(PromiseWorker* worker) {
    std::unique_ptr<PromiseWorker> owned(worker);  // freed if it cannot be queued (Queue throws)
    Napi::Promise promise = owned->deferred_.Promise();
    owned->Queue();
    owned.release();
    return promise;
  }

 protected:
  PromiseWorker(Napi::Env env, const char* resourceName)
      : Napi::AsyncWorker(env, resourceName), deferred_(Napi::Promise::Deferred::New(env)) {}

  // Worker thread: no JS values here.
  virtual Failure Run() = 0;
  // Main thread.
  virtual Napi::Value Result(Napi::Env env) = 0;

 private:
  void Execute() final {
    // Nothing thrown on this thread may escape it: out of memory is the Win32 error it is.
    try {
      failure_ = Run();
    } catch (...) {
      failure_ = CaughtFailure();
    }
    Describe(failure_);
    // Only routes to OnError; failure_ decides either way (SetError's string may itself find no memory).
    if (failure_) {
      try {
        SetError(failure_->syscall);
      } catch (...) {  // NOLINT(bugprone-empty-catch): OnOK rejects with failure_
      }
    }
  }

  // Both run on the main thread, or while the environment is being torn down (a terminated worker_thread), when
  // no JS can run and every N-API call fails: then nobody waits for the answer, and nothing may escape into Node.
  void OnOK() final {
    try {
      if (failure_) {
        deferred_.Reject(MakeWin32Error(Env(), *failure_).Value());
        return;
      }
      try {
        deferred_.Resolve(Result(Env()));
      } catch (const Napi::Error& error) {
        deferred_.Reject(error.Value());
      } catch (...) {
        // No memory to build the result: still an answer.
        Failure failure = CaughtFailure();
        Describe(failure);
        deferred_.Reject(MakeWin32Error(Env(), *failure).Value());
      }
    } catch (...) {  // NOLINT(bugprone-empty-catch): see above
    }
  }

  void OnError(const Napi::Error& error) final {
    try {
      deferred_.Reject(failure_ ? MakeWin32Error(Env(), *failure_).Value() : error.Value());
    } catch (...) {  // NOLINT(bugprone-empty-catch): see OnOK
    }
  }

  Napi::Promise::Deferred deferred_;
  Failure failure_;
};

}  // namespace wts
