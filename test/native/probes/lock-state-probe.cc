// Prints what native/lock_state.h makes of each SessionFlags value on the Windows it runs on, for
// test/native/lock-state.test.ts: "reversed <0|1>" and then "<flags> <lockState>" per value.
#include <cstdio>

#include "../../../native/lock_state.h"

int main() {
  std::printf("reversed %d\n", wts::LockFlagsReversedHere() ? 1 : 0);
  const LONG values[] = {0, 1, 2, -1};
  for (LONG flags : values) {
    std::printf("%ld %d\n", static_cast<long>(flags), wts::LockStateFromFlags(flags, wts::LockFlagsReversedHere()));
  }
  return 0;
}
