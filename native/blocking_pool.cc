#include "blocking_pool.h"

#include <chrono>
#include <cstdlib>
#include <exception>
#include <system_error>
#include <thread>

namespace wts {

namespace {

constexpr auto kIdleEnd = std::chrono::seconds(60);
// Enough for every session of a large host to hold a message box at once; beyond it, boxes queue.
constexpr size_t kMessageThreads = 64;
// Waits are one per watched server (lib/ops/watch-hub.ts shares them), so this many servers are watched at once; a
// wait beyond it is refused (PostNow), never queued, and its server is polled instead. A thread blocked in
// WTSWaitSystemEvent commits little of its stack (bench/farm measures the memory).
constexpr size_t kWaitThreads = 1024;
constexpr size_t kMaxWaitThreads = 4096;

size_t WaitThreadLimit() {
  const char* text = std::getenv("WINDOWS_SESSIONS_WAIT_THREADS");  // NOLINT(concurrency-mt-unsafe): at load
  if (text == nullptr) return kWaitThreads;
  const unsigned long value = std::strtoul(text, nullptr, 10);
  return value >= 1 && value <= kMaxWaitThreads ? value : kWaitThreads;
}
// Sign-outs and disconnects: an idle sweep or a policy runs 8 at once by default.
constexpr size_t kActionThreads = 16;
// Reads from remote hosts: listSessionsOn asks 8 at once by default.
constexpr size_t kRemoteThreads = 16;
// Closing watches: each close may repeat its flush for up to 3 s, and must never queue behind the waits it releases.
constexpr size_t kCloseThreads = 8;

}  // namespace

bool BlockingPool::StartThread(std::function<void()> body) {
  try {
    std::thread(std::move(body)).detach();
    return true;
  } catch (const std::exception&) {  // std::system_error, or std::bad_alloc for the thread's own state
    return false;
  }
}

bool BlockingPool::Post(std::function<void()> task) {
  bool full = false;
  return Submit(std::move(task), false, &full);
}

bool BlockingPool::PostNow(std::function<void()> task, bool* full) { return Submit(std::move(task), true, full); }

bool BlockingPool::Submit(std::function<void()> task, bool refuseWhenFull, bool* full) {
  std::unique_lock<std::mutex> lock(mutex_);
  *full = refuseWhenFull && idle_ <= tasks_.size() && threads_ >= limit_;
  if (*full) return false;
  tasks_.push_back(std::move(task));
  if (idle_ > 0) {
    ready_.notify_one();
    return true;
  }
  if (threads_ >= limit_) return true;  // its turn comes when a thread is free
  ++threads_;  // counted before it starts, so that concurrent posts never start more than the limit
  lock.unlock();
  const bool started = start_([this] { Serve(); });
  lock.lock();
  if (started) {
    if (threads_ > peak_) peak_ = threads_;
    return true;
  }
  --threads_;
  if (threads_ > 0) return true;
  tasks_.pop_back();  // nobody would ever run it
  return false;
}

void BlockingPool::Serve() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    const bool woken = ready_.wait_for(lock, kIdleEnd, [this] { return !tasks_.empty(); });
    --idle_;
    if (!woken) break;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    // The addon's tasks catch their own exceptions (ThreadWorker::RunAndSettle); one that still escaped must not
    // end the process, nor this thread with its count still held.
    try {
      task();
    } catch (...) {  // NOLINT(bugprone-empty-catch)
    }
    lock.lock();
  }
  --threads_;
}

size_t BlockingPool::Threads() {
  std::lock_guard<std::mutex> guard(mutex_);
  return threads_;
}

size_t BlockingPool::Peak() {
  std::lock_guard<std::mutex> guard(mutex_);
  return peak_;
}

BlockingPool& MessagePool() {
  static BlockingPool* pool = new BlockingPool(kMessageThreads);
  return *pool;
}

BlockingPool& ActionPool() {
  static BlockingPool* pool = new BlockingPool(kActionThreads);
  return *pool;
}

BlockingPool& RemotePool() {
  static BlockingPool* pool = new BlockingPool(kRemoteThreads);
  return *pool;
}

BlockingPool& ClosePool() {
  static BlockingPool* pool = new BlockingPool(kCloseThreads);
  return *pool;
}

BlockingPool& WaitPool() {
  static BlockingPool* pool = new BlockingPool(WaitThreadLimit());
  return *pool;
}

void InitPools() {
  MessagePool();
  WaitPool();
  ActionPool();
  RemotePool();
  ClosePool();
}

}  // namespace wts
