// WTSEnumerateSessionsExW at level 1 and its WTS_SESSION_INFO_1W answer: every session with its user and domain in
// one call (the WTSEnumerateSessionsExW page), declared here because MinGW-w64's wtsapi32.h lacks them (the struct
// under our own name, so the Windows SDK's declarations never clash). Layout from the WTS_SESSION_INFO_1W page;
// checked below and byte for byte in test/native/windows-truth.test.ts.
#pragma once

#include <cstddef>

#include "process_info_ex.h"  // WTS_TYPE_CLASS and WTSFreeMemoryExW
#include "win_api.h"

#ifndef _MSC_VER
extern "C" {
BOOL WINAPI WTSEnumerateSessionsExW(HANDLE hServer, DWORD* pLevel, DWORD Filter, void** ppSessionInfo, DWORD* pCount);
}
#endif

namespace wts {

struct SessionInfo1W {
  DWORD ExecEnvId;
  DWORD State;  // WTS_CONNECTSTATE_CLASS
  DWORD SessionId;
  LPWSTR pSessionName;
  LPWSTR pHostName;
  LPWSTR pUserName;  // NULL without a user (the WTS_SESSION_INFO_1W page)
  LPWSTR pDomainName;
  LPWSTR pFarmName;
};

// Three DWORDs, then five pointers: 8-aligned on x64 and arm64 (the first at 16, 56 bytes in all), 4 on ia32.
#if defined(_M_X64) || defined(__x86_64__) || defined(_M_ARM64) || defined(__aarch64__)
static_assert(offsetof(SessionInfo1W, pSessionName) == 16, "WTS_SESSION_INFO_1W.pSessionName offset");
static_assert(offsetof(SessionInfo1W, pUserName) == 32, "WTS_SESSION_INFO_1W.pUserName offset");
static_assert(sizeof(SessionInfo1W) == 56, "WTS_SESSION_INFO_1W size");
#else
static_assert(offsetof(SessionInfo1W, pSessionName) == 12, "WTS_SESSION_INFO_1W.pSessionName offset");
static_assert(offsetof(SessionInfo1W, pUserName) == 20, "WTS_SESSION_INFO_1W.pUserName offset");
static_assert(sizeof(SessionInfo1W) == 32, "WTS_SESSION_INFO_1W size");
#endif

// The array WTSEnumerateSessionsExW hands out, released with WTSFreeMemoryExW(WTSTypeSessionInfoLevel1, p, count):
// WTSFreeMemory leaves the strings it points to allocated (osquery #7019, fixed by #7039).
class SessionInfo1List {
 public:
  SessionInfo1List() = default;
  SessionInfo1List(const SessionInfo1List&) = delete;
  SessionInfo1List& operator=(const SessionInfo1List&) = delete;
  ~SessionInfo1List() {
    if (ptr_ != nullptr) WTSFreeMemoryExW(WTSTypeSessionInfoLevel1, ptr_, count_);
  }

  // Every session of `server`. Level and filter are reserved: 1 and 0, as the page says.
  BOOL Enumerate(HANDLE server) {
    DWORD level = 1;
#ifdef _MSC_VER
    return WTSEnumerateSessionsExW(server, &level, 0, reinterpret_cast<PWTS_SESSION_INFO_1W*>(&ptr_), &count_);
#else
    return WTSEnumerateSessionsExW(server, &level, 0, reinterpret_cast<void**>(&ptr_), &count_);
#endif
  }
  DWORD size() const { return ptr_ == nullptr ? 0 : count_; }
  const SessionInfo1W& operator[](size_t i) const { return ptr_[i]; }

 private:
  SessionInfo1W* ptr_ = nullptr;
  DWORD count_ = 0;
};

}  // namespace wts
