// Runs one operation's work (a Job: `Failure Run()` off the main thread, `Napi::Value Result(Napi::Env)` on it) on
// libuv's pool when it is quick, or on one of the addon's own pools when it may block for long: a call to a remote
// host can hang in RPC time-outs for tens of seconds, and must not take one of libuv's four threads from fs, dns,
// crypto and this machine's listings.
#pragma once

#include <utility>

#include "blocking_pool.h"
#include "promise_worker.h"
#include "thread_worker.h"

namespace wts {

template <typename Job>
class JobOnLibuv final : public PromiseWorker {
 public:
  JobOnLibuv(Napi::Env env, const char* resourceName, Job job)
      : PromiseWorker(env, resourceName), job_(std::move(job)) {}

 private:
  Failure Run() override { return job_.Run(); }
  Napi::Value Result(Napi::Env env) override { return job_.Result(env); }
  Job job_;
};

template <typename Job>
class JobOnPool final : public ThreadWorker {
 public:
  JobOnPool(const char* resourceName, Job job) : ThreadWorker(resourceName), job_(std::move(job)) {}

 private:
  Failure Run() override { return job_.Run(); }
  Napi::Value Result(Napi::Env env) override { return job_.Result(env); }
  Job job_;
};

// `remote`: the job talks to another host, so it runs on RemotePool(); otherwise on libuv's pool.
template <typename Job>
Napi::Promise StartJob(Napi::Env env, const char* resourceName, Job job, bool remote) {
  if (remote) return ThreadWorker::Start(env, new JobOnPool<Job>(resourceName, std::move(job)), RemotePool());
  return PromiseWorker::Start(new JobOnLibuv<Job>(env, resourceName, std::move(job)));
}

}  // namespace wts
