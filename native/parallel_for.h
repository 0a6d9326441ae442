// Runs independent per-session queries side by side. Each WTS call is a round trip to the Remote Desktop service
// (over RPC for a remote host), so a listing's time is set by how many of them wait at once, not by CPU.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

namespace wts {

// Calls fn(i) for every i in [0, count) on up to `threads` threads: this one, plus helpers from a pool kept for
// the life of the process (starting a thread per listing cost more than the listing). Indexes are handed out in
// order; once `stop` is set no new index is started. Returns when every call has returned.
void ParallelFor(size_t count, size_t threads, const std::atomic<bool>& stop, const std::function<void(size_t)>& fn);

}  // namespace wts
