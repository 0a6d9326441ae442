// Base of the operations that can block for minutes (a message box waiting for its answer, a wait for session
// events): they get a thread of their own instead of one of libuv's four pool threads, so they can never starve
// the listings queued behind them. The result comes back through a thread-safe function that does not hold the
// event loop open: the JS side keeps the process alive while it still wants the answer, and lets go on abort.
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "win32_failure.h"

namespace wts {

class ThreadWorker {
 public:
  virtual ~ThreadWorker() = default;

  // Starts the worker on its own thread and returns its promise; the worker deletes itself when settled.
  static Napi::Promise Start(Napi::Env env, ThreadWorker* worker);

 protected:
  explicit ThreadWorker(std::string resourceName) : resourceName_(std::move(resourceName)) {}

  // Own thread: no JS values here.
  virtual Failure Run() = 0;
  // Main thread.
  virtual Napi::Value Result(Napi::Env env) = 0;

 private:
  static void Settle(Napi::Env env, Napi::Function unused, std::nullptr_t* context, ThreadWorker* worker);
  using Completion = Napi::TypedThreadSafeFunction<std::nullptr_t, ThreadWorker, &ThreadWorker::Settle>;

  std::string resourceName_;
  std::unique_ptr<Napi::Promise::Deferred> deferred_;
  Completion completion_;
  Failure failure_;
};

}  // namespace wts
