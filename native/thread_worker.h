// Base of the operations that can block for minutes (a message box waiting for its answer, a wait for session
// events): they run on a thread of a BlockingPool instead of one of libuv's four pool threads, so they can never
// starve the listings queued behind them, and however many are started the threads stay bounded. The result comes back
// through a thread-safe function that does not hold the event loop open: the JS side keeps the process alive while it
// still wants the answer, and lets go on abort.
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>
#include <string>

#include "blocking_pool.h"
#include "win32_failure.h"

namespace wts {

class ThreadWorker {
 public:
  virtual ~ThreadWorker() = default;

  // Queues the worker on `pool` and returns its promise; the worker deletes itself when settled. When the pool
  // has no thread and the system gives none, the promise rejects (ERROR_NO_SYSTEM_RESOURCES, "CreateThread").
  static Napi::Promise Start(Napi::Env env, ThreadWorker* worker, BlockingPool& pool);

 protected:
  explicit ThreadWorker(std::string resourceName) : resourceName_(std::move(resourceName)) {}

  // Own thread: no JS values here.
  virtual Failure Run() = 0;
  // Main thread.
  virtual Napi::Value Result(Napi::Env env) = 0;
  // Whether Run must happen even when the environment ended before the worker's turn: cleanup that nothing else
  // would do (a watch's close releases a wait and a server handle). Other work is skipped then.
  virtual bool RunsAfterTeardown() const { return false; }

 private:
  // On a pool thread: runs the work, unless its environment is gone by its turn, and hands the result back.
  void RunAndSettle();
  // Hands the result to the main thread through the thread-safe function (any thread).
  void Complete();
  static void Settle(Napi::Env env, Napi::Function unused, std::nullptr_t* context, ThreadWorker* worker);
  using Completion = Napi::TypedThreadSafeFunction<std::nullptr_t, ThreadWorker, &ThreadWorker::Settle>;

  // Whether the environment that started the worker can still be told the result. Its teardown clears it
  // (through a cleanup hook) before anything else is torn down; the thread checks it, under the lock, before it
  // touches the thread-safe function, so it never calls into a finished environment (nodejs/node#55706) nor
  // releases anything after napi_closing.
  struct Life {
    std::mutex mutex;
    bool alive = true;
  };
  static void OnEnvTeardown(void* life);  // a std::shared_ptr<Life>*, deleted here

  std::string resourceName_;
  std::unique_ptr<Napi::Promise::Deferred> deferred_;
  Completion completion_;
  Failure failure_;
  std::shared_ptr<Life> life_ = std::make_shared<Life>();
  std::shared_ptr<Life>* hookArg_ = nullptr;  // owned by the cleanup hook until it runs or is removed
};

}  // namespace wts
