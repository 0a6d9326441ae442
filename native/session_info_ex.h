// WTSSessionInfoEx (class 25) and its WTSINFOEXW answer, declared here because MinGW-w64's wtsapi32.h lacks them
// (and under our own names, so the Windows SDK's declarations never clash). Layout from the WTSINFOEXW and
// WTSINFOEX_LEVEL1_W pages; checked below.
#pragma once

#include <cstddef>

#include "win_api.h"

namespace wts {

constexpr WTS_INFO_CLASS kWtsSessionInfoEx = static_cast<WTS_INFO_CLASS>(25);

struct SessionInfoExLevel1 {
  ULONG SessionId;
  WTS_CONNECTSTATE_CLASS SessionState;
  LONG SessionFlags;
  WCHAR WinStationName[33];
  WCHAR UserName[21];
  WCHAR DomainName[18];
  LARGE_INTEGER LogonTime;
  LARGE_INTEGER ConnectTime;
  LARGE_INTEGER DisconnectTime;
  LARGE_INTEGER LastInputTime;
  LARGE_INTEGER CurrentTime;
  DWORD IncomingBytes;
  DWORD OutgoingBytes;
  DWORD IncomingFrames;
  DWORD OutgoingFrames;
  DWORD IncomingCompressedBytes;
  DWORD OutgoingCompressedBytes;
};

struct SessionInfoEx {
  DWORD Level;  // 1, the only level there is
  union {
    SessionInfoExLevel1 level1;
  } Data;
};

// From the documented field types, as in win_api.h: ULONG, enum, LONG, WinStationName[33], UserName[21] and
// DomainName[18] end at 156; the 5 LARGE_INTEGERs start at 160 and make the union 8-aligned; 6 DWORDs end at 224.
// No pointers, so the same on x64, arm64 and ia32 (win_api.h refuses any other architecture).
static_assert(offsetof(SessionInfoEx, Data) == 8, "WTSINFOEXW.Data offset");
static_assert(offsetof(SessionInfoExLevel1, SessionFlags) == 8, "WTSINFOEX_LEVEL1_W.SessionFlags offset");
static_assert(offsetof(SessionInfoExLevel1, LogonTime) == 160, "WTSINFOEX_LEVEL1_W.LogonTime offset");
static_assert(sizeof(SessionInfoExLevel1) == 224, "WTSINFOEX_LEVEL1_W size");
static_assert(sizeof(SessionInfoEx) == 232, "WTSINFOEXW size");

}  // namespace wts
