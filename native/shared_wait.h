// One WTSWaitSystemEvent per server per process, fanned out to every subscriber in every Node environment.
// MS-TSTS 3.7.4.1.15 (RpcWinStationWaitSystemEvent, the protocol behind WTSWaitSystemEvent): "Only one event wait at
// a time can be posted per server handle"; a second one fails while the first is outstanding. So a main thread, its
// worker threads and every copy of the package share one wait per server: a pump on a WaitPool() thread that waits
// for every event kind and hands each result to every subscriber. The last subscriber out flushes the wait and lets
// go of the server handle, on the close pool.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "win32_failure.h"

namespace wts {

// What a shared wait tells a subscriber: called on the pump's thread, with no lock of the wait held.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvents(DWORD flags) = 0;
  // The wait failed; the pump has stopped, and the next EnsurePump starts it again.
  virtual void OnFailure(const Win32Failure& failure) = 0;
};

class SharedWait;

// Joins the wait of `server` (nullopt: this machine; names compare case-insensitively), opening its server handle
// when nobody watches it yet. Blocks only in WTSOpenServerW, so off the main thread.
Failure JoinWait(const std::optional<std::u16string>& server, std::shared_ptr<EventSink> sink,
                 std::shared_ptr<SharedWait>* joined);

// Starts the pump unless it runs. Any thread. Fails (nothing then waits, nothing is queued) with
// ERROR_NO_SYSTEM_RESOURCES when no thread could be had, and with ERROR_TOO_MANY_TCBS ("WaitPool") when WaitPool()
// has as many waits as its limit: the caller polls that server instead (lib/ops/watch-hub.ts).
Failure EnsurePump(const std::shared_ptr<SharedWait>& wait);

// Leaves at once (never blocks). True when `sink` was the last subscriber: the caller must then hand the wait to
// EndWait on a thread that may block (the close pool).
bool LeaveWait(const std::shared_ptr<SharedWait>& wait, const EventSink* sink);

// Releases a wait in progress with WTS_EVENT_FLUSH, repeated (at most `tries` times, 50 ms apart) until the pump's
// wait has returned, since a flush releases only the waits already registered. The server handle closes when the
// last holder lets go, here or on the pump's thread. Stops early when someone joined meanwhile (the pump goes on).
Failure EndWait(std::shared_ptr<SharedWait> wait, int tries);

}  // namespace wts
