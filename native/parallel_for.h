// Runs independent per-session queries side by side. Each WTS call is a round trip to the Remote Desktop service
// (over RPC for a remote host), so a listing's time is set by how many of them wait at once, not by CPU.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

namespace wts {

// Calls fn(i) for every i in [0, count) on up to `threads` threads: this one, plus helpers from a pool kept for
// the life of the process (starting a thread per listing cost more than the listing). Indexes are handed out in
// order; once `stop` is set no new index is started. Returns when every call has returned. A helper that is not
// free (busy with another listing, a remote one stuck in RPC time-outs say) is not waited for: this thread does
// the work, so a local listing never waits behind a slow remote one.
//
// An exception thrown by fn (std::bad_alloc, say) never crosses a thread: the lane that caught it stops handing out
// indexes, every lane finishes the call it is in, and only then is the first exception rethrown here, in the
// caller's thread, where the worker turns it into a rejection. (Thrown from a helper it would call std::terminate;
// thrown in the caller's lane it would unwind the frame the helpers still use.)
void ParallelFor(size_t count, size_t threads, const std::atomic<bool>& stop, const std::function<void(size_t)>& fn);

}  // namespace wts
