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

}  // namespace

int main() {
  Case("helper", false);
  Case("caller", true);
  return 0;
}
