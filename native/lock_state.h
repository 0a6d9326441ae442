// A session's lock state from WTSINFOEX_LEVEL1_W.SessionFlags (docs/windows-behaviour.md, "Lock state").
#pragma once

#include <cstdint>

#include "win_api.h"

namespace wts {

// SessionFlags values (WTSINFOEX_LEVEL1 page): WTS_SESSIONSTATE_LOCK 0, _UNLOCK 1, _UNKNOWN 0xFFFFFFFF.
constexpr LONG kSessionStateLock = 0;
constexpr LONG kSessionStateUnlock = 1;

// What a record holds: not read (or unknown), unlocked, locked.
constexpr int32_t kLockUnknown = -1;
constexpr int32_t kUnlocked = 0;
constexpr int32_t kLocked = 1;

// Windows 7 and Server 2008 R2 (6.1) report LOCK and UNLOCK the other way round (the same page; Chromium's
// ui/base/win/lock_state.cc checks the version for it). Anything but the two known values is unknown.
constexpr int32_t LockStateFromFlags(LONG flags, bool reversed) {
  if (flags == kSessionStateLock) return reversed ? kUnlocked : kLocked;
  if (flags == kSessionStateUnlock) return reversed ? kLocked : kUnlocked;
  return kLockUnknown;
}

// Whether this machine is Windows 7 / Server 2008 R2, from RtlGetVersion (GetVersionEx lies to an unmanifested
// process such as node.exe). Read once.
bool LockFlagsReversedHere();

}  // namespace wts
