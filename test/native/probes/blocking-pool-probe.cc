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
  {
    // Tasks that run for ever (a server's event wait) on a pool of 2: two start, the third is refused at once with
    // `full` (never queued behind them), and once one ends its thread takes the next.
    wts::BlockingPool& pool = *new wts::BlockingPool(2);
    std::atomic<bool> release{false};
    std::atomic<int> started{0}, ended{0};
    auto forever = [&] {
      ++started;
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      ++ended;
    };
    bool full1 = true, full2 = true, full3 = false, full4 = true;
    const bool first = pool.PostNow(forever, &full1);
    const bool second = pool.PostNow(forever, &full2);
    WaitFor(started, 2);
    const bool third = pool.PostNow(forever, &full3);
    release = true;
    WaitFor(ended, 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // both threads idle again
    release = false;
    const bool fourth = pool.PostNow(forever, &full4);
    WaitFor(started, 3);
    std::printf("forever accepted=%d%d%d%d full=%d%d%d%d started=%d threads=%zu\n", first, second, third, fourth, full1,
                full2, full3, full4, started.load(), pool.Threads());
    release = true;
  }
  std::fflush(stdout);
  std::_Exit(0);  // idle pool threads would keep a normal exit waiting
}
