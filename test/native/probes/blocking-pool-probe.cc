// Drives native/blocking_pool.cc for test/native/blocking-pool.test.ts. Prints "<case> <key>=<value> ...".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>

#include "../../../native/blocking_pool.h"

namespace {

std::atomic<int> startsLeft{0};
bool Refuse(std::function<void()>) { return false; }
bool StartSome(std::function<void()> body) {
  if (startsLeft.fetch_sub(1) <= 0) return false;
  return wts::BlockingPool::StartThread(std::move(body));
}

void WaitFor(const std::atomic<int>& done, int count) {
  while (done.load() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

int main() {
  {
    // 200 blocking calls on a pool of 8: all run, never more than 8 at once.
    // Pools live for the process, as the addon's do: their idle threads outlive any scope.
    wts::BlockingPool& pool = *new wts::BlockingPool(8);
    std::atomic<int> running{0}, most{0}, done{0};
    bool accepted = true;
    for (int i = 0; i < 200; ++i) {
      accepted = pool.Post([&] {
        const int now = ++running;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --running;
        ++done;
      }) && accepted;
    }
    WaitFor(done, 200);
    std::printf("bounded accepted=%d done=%d most=%d peak=%zu\n", accepted ? 1 : 0, done.load(), most.load(),
                pool.Peak());
  }
  {
    // No thread can be had and none runs: the task is refused (the caller rejects), never run.
    wts::BlockingPool& pool = *new wts::BlockingPool(8, &Refuse);
    std::atomic<int> ran{0};
    const bool accepted = pool.Post([&] { ++ran; });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::printf("refused accepted=%d ran=%d threads=%zu\n", accepted ? 1 : 0, ran.load(), pool.Threads());
  }
  {
    // One thread can be had, no more: every task is accepted and runs, in turn, on that one.
    startsLeft = 1;
    wts::BlockingPool& pool = *new wts::BlockingPool(8, &StartSome);
    std::atomic<int> done{0};
    bool accepted = true;
    for (int i = 0; i < 20; ++i) {
      accepted = pool.Post([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++done;
      }) && accepted;
    }
    WaitFor(done, 20);
    std::printf("scarce accepted=%d done=%d peak=%zu\n", accepted ? 1 : 0, done.load(), pool.Peak());
  }
  std::fflush(stdout);
  std::_Exit(0);  // idle pool threads would keep a normal exit waiting
}
