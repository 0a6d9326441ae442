// Threads for the calls that can block for minutes: a message box waiting for its answer, a wait for session
// events. Each kind has a pool of its own, so that waits can never keep messages from being shown, and neither
// takes one of libuv's four threads from fs, dns or crypto. A pool starts threads as calls need them, up to its
// limit; calls beyond that wait their turn, in order. A thread with nothing to do for a minute ends.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace wts {

class BlockingPool {
 public:
  // Starts a detached thread running `body`; false when the system will not give one.
  using ThreadStarter = bool (*)(std::function<void()> body);
  static bool StartThread(std::function<void()> body);

  explicit BlockingPool(size_t limit, ThreadStarter start = &StartThread) : limit_(limit), start_(start) {}

  size_t Limit() const { return limit_; }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Queues `task`. False, with the task dropped, when the pool has no thread and cannot start one: the caller
  // reports that instead of waiting for ever. With threads running, a failed start only means a longer queue.
  // Throws (std::bad_alloc, or std::system_error for a first lock without memory) only with nothing queued.
  bool Post(std::function<void()> task);
  // Like Post, but refuses (false, `*full` set, nothing queued) when no thread is free and the limit is reached: for
  // tasks that run for ever (a server's event wait), where a queued one would never start.
  bool PostNow(std::function<void()> task, bool* full);

  // Threads now, and the most there have been at once.
  size_t Threads();
  size_t Peak();

 private:
  bool Submit(std::function<void()> task, bool refuseWhenFull, bool* full);
  void Serve();

  const size_t limit_;
  const ThreadStarter start_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  size_t threads_ = 0;
  size_t idle_ = 0;
  size_t peak_ = 0;
};

// The pools of the addon (never destroyed: their threads may still be waiting when the process exits).
BlockingPool& MessagePool();
// Its limit is kWaitThreads (1024) unless WINDOWS_SESSIONS_WAIT_THREADS says otherwise (1 to 4096): the servers
// watched at once; lib/ops/watch-hub.ts polls the others.
BlockingPool& WaitPool();
BlockingPool& ActionPool();  // logoff and disconnect
BlockingPool& RemotePool();  // reads from another host (native/job_worker.h)
BlockingPool& ClosePool();   // closing event watches (native/event_watch.cc)

// Makes the pools (not their threads) at module load. A call then never runs the process's first initialization of
// a function-local static, for which MinGW's threads allocate a once-flag without checking the allocation (a write
// to NULL instead of std::bad_alloc when memory is short).
void InitPools();

}  // namespace wts
