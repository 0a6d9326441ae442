// A remote host's own clock, read with NetRemoteTOD (netapi32), so that its sessions' durations are measured on it.
// WTSINFOW.CurrentTime cannot be trusted to be that clock: MS-TSTS's LSM_SESSIONINFO_EX_LEVEL1 (what Windows Server
// 2008 and later answer a remote WTSSessionInfo query from) has no CurrentTime, so the calling machine fills it from
// its own clock (Cassia #42: idle time off by the clock difference from a remote caller only; PSQuser #7). See
// docs/windows-behaviour.md, "Remote clocks". lib/native/to-session.ts does the arithmetic.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "win_api.h"

namespace wts {

// Times in ms since 1970. `start` is the caller's clock when the read began, `before` and `after` around
// NetRemoteTOD, `end` once the last session was read; `remote` the host's clock as NetRemoteTOD gave it (valid when
// `error` is 0).
struct RemoteClock {
  int64_t start = 0;
  int64_t before = 0;
  int64_t after = 0;
  int64_t end = 0;
  int64_t remote = 0;
  DWORD error = 0;
};

// This machine's clock, in ms since 1970 (GetSystemTimePreciseAsFileTime: only this code imports it, so the test
// stand-in can script the caller's clock without touching the C++ runtime's).
int64_t CallerClockMs();

// Asks `server`'s clock (NetRemoteTOD; no special group membership is required), noting the caller's clock around it.
// Called once the host has answered a WTS call, so that a host that is down costs no second time-out; `start` is
// the caller's clock before that call.
RemoteClock ReadRemoteClock(const std::u16string& server, int64_t start);

// { start, before, after, end, remote, errno }: remote is null when the clock could not be read.
Napi::Object RemoteClockToJs(Napi::Env env, const RemoteClock& clock);

}  // namespace wts
