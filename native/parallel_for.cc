#include "parallel_for.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace wts {

namespace {

constexpr size_t kPoolThreads = 15;

class HelperPool {
 public:
  HelperPool() {
    // MinGW's threads allocate a mutex at its first lock: here, on the caller's thread, where a failure is its
    // rejection, never on a helper, where it would end the process.
    { std::lock_guard<std::mutex> first(mutex_); }
    for (size_t i = 0; i < kPoolThreads; ++i) {
      try {
        std::thread([this] { Serve(); }).detach();
        ++size_;
      } catch (const std::exception&) {  // no thread, or no memory for its state (the started ones use `this`)
        break;                           // fewer helpers; the caller's own thread always works too
      }
    }
  }

  size_t Size() const { return size_; }

  void Post(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void Serve() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      try {
        task();        // catches its own exceptions (ParallelFor's lanes); nothing may end this thread
      } catch (...) {  // NOLINT(bugprone-empty-catch)
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  size_t size_ = 0;
};

// Never destroyed: its threads wait for work until the process ends.
HelperPool& Pool() {
  static HelperPool* pool = new HelperPool();
  return *pool;
}

// What the lanes of one ParallelFor share. Held by each helper task, so that a task whose turn comes only after
// the call returned (its helpers were busy with another listing, a remote one stuck in RPC say) finds `closed`
// and leaves without touching the caller's frame.
struct Lanes {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::condition_variable done;
  size_t running = 0;        // helpers inside the caller's work; guarded by mutex
  bool closed = false;       // the caller has finished its own lane: no helper joins after this; guarded by mutex
  std::exception_ptr first;  // guarded by mutex
};

}  // namespace

void ParallelFor(size_t count, size_t threads, const std::atomic<bool>& stop, const std::function<void(size_t)>& fn) {
  auto lanes = std::make_shared<Lanes>();
  { std::lock_guard<std::mutex> first(lanes->mutex); }  // its first lock allocates (MinGW): not in a helper
  // Refers to this frame (stop, fn): run only by the caller, or by a helper registered in `running`, which the
  // caller waits for.
  auto lane = [&lanes = *lanes, count, &stop, &fn] {
    try {
      for (size_t i = lanes.next++; i < count && !stop.load() && !lanes.failed.load(); i = lanes.next++) fn(i);
    } catch (...) {
      std::lock_guard<std::mutex> guard(lanes.mutex);
      if (!lanes.first) lanes.first = std::current_exception();
      lanes.failed.store(true);
    }
  };
  size_t helpers = threads > 1 ? std::min(threads - 1, count > 0 ? count - 1 : 0) : 0;
  if (helpers > 0) helpers = std::min(helpers, Pool().Size());
  try {
    for (size_t h = 0; h < helpers; ++h) {
      Pool().Post([lanes, lane] {
        {
          std::lock_guard<std::mutex> guard(lanes->mutex);
          if (lanes->closed) return;  // too late: the caller did the work
          ++lanes->running;
        }
        lane();
        std::lock_guard<std::mutex> guard(lanes->mutex);
        if (--lanes->running == 0) lanes->done.notify_one();
      });
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): no memory for another helper; fewer lanes, and helpers already
                   // posted may be running, so this frame must not unwind before they are waited for below
  }
  lane();
  // The helpers that joined use this stack frame: wait for them; those that have not started never will.
  std::unique_lock<std::mutex> lock(lanes->mutex);
  lanes->closed = true;
  lanes->done.wait(lock, [&] { return lanes->running == 0; });
  if (lanes->first) std::rethrow_exception(lanes->first);
}

}  // namespace wts
