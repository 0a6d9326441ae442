// Drives native/parallel_for.cc with lanes that throw, for test/native/parallel-for.test.ts. Prints one line per
// case: "<case> <what reached the caller> <calls in flight when ParallelFor returned> <helper lanes that ran>".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <new>
#include <set>
#include <stdexcept>
#include <thread>

#include "../../../native/parallel_for.h"

namespace {

void Case(const char* name, bool throwInCaller) {
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> inFlight{0};
  std::atomic<bool> thrown{false};
  std::mutex mutex;
  std::set<std::thread::id> helpers;
  const std::atomic<bool> never{false};
  const char* reached = "nothing";
  int leftRunning = -1;
  try {
    wts::ParallelFor(200, 4, never, [&](size_t) {
      ++inFlight;
      const bool inCaller = std::this_thread::get_id() == caller;
      if (!inCaller) {
        std::lock_guard<std::mutex> guard(mutex);
        helpers.insert(std::this_thread::get_id());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (inCaller == throwInCaller && !thrown.exchange(true)) {
        --inFlight;
        throw std::bad_alloc();
      }
      --inFlight;
    });
  } catch (const std::bad_alloc&) {
    reached = "bad_alloc";
    leftRunning = inFlight.load();
  } catch (...) {
    reached = "other";
  }
  std::printf("%s %s %d %zu\n", name, reached, leftRunning, helpers.size());
}

// A listing whose helpers are all busy with a slow one (a remote host stuck in RPC) does its work on its own
// thread and returns: "busy <ms the quick listing took> <ms the slow one took>".
void Busy() {
  using std::chrono::milliseconds;
  const std::atomic<bool> never{false};
  const auto start = std::chrono::steady_clock::now();
  const auto since = [&] {
    return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
  };
  long long slowMs = 0;
  std::thread slow([&] {
    wts::ParallelFor(64, 16, never, [](size_t) { std::this_thread::sleep_for(milliseconds(100)); });
    slowMs = since();
  });
  std::this_thread::sleep_for(milliseconds(50));  // every helper is in the slow listing now
  const long long begun = since();
  wts::ParallelFor(6, 2, never, [](size_t) {});
  const long long quickMs = since() - begun;
  slow.join();
  std::printf("busy %lld %lld\n", quickMs, slowMs);
}

}  // namespace

int main() {
  Case("helper", false);
  Case("caller", true);
  Busy();
  return 0;
}
