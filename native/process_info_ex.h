// WTSEnumerateProcessesExW at level 1 and its WTS_PROCESS_INFO_EXW answer, declared here because MinGW-w64's
// wtsapi32.h lacks them (the struct under our own name, so the Windows SDK's declarations never clash). Layout from
// the WTS_PROCESS_INFO_EXW page; checked below and byte for byte in test/native/windows-truth.test.ts.
#pragma once

#include <cstddef>

#include "win_api.h"

#ifndef _MSC_VER
extern "C" {
// The exports of wtsapi32.dll (MinGW-w64's libwtsapi32.a has them); the SDK declares them with WTS_TYPE_CLASS.
BOOL WINAPI WTSEnumerateProcessesExW(HANDLE hServer, DWORD* pLevel, DWORD SessionId, LPWSTR* ppProcessInfo,
                                     DWORD* pCount);
typedef enum _WTS_TYPE_CLASS {
  WTSTypeProcessInfoLevel0,
  WTSTypeProcessInfoLevel1,
  WTSTypeSessionInfoLevel1
} WTS_TYPE_CLASS;
BOOL WINAPI WTSFreeMemoryExW(WTS_TYPE_CLASS WTSTypeClass, PVOID pMemory, ULONG NumberOfEntries);
}
#endif

namespace wts {

constexpr DWORD kWtsAnySession = 0xFFFFFFFE;  // WTS_ANY_SESSION

struct ProcessInfoExW {
  DWORD SessionId;
  DWORD ProcessId;
  LPWSTR pProcessName;
  PSID pUserSid;
  DWORD NumberOfThreads;
  DWORD HandleCount;
  DWORD PagefileUsage;  // bytes (a DWORD: 4 GiB at most)
  DWORD PeakPagefileUsage;
  DWORD WorkingSetSize;  // bytes
  DWORD PeakWorkingSetSize;
  LARGE_INTEGER UserTime;  // milliseconds (the WTS_PROCESS_INFO_EXW page; MS-TSTS 2.2.2.15.1)
  LARGE_INTEGER KernelTime;
};

// Two pointers after two DWORDs: x64 and arm64 put them at 8 and 16, the six DWORDs end at 48, the LARGE_INTEGERs
// (8-aligned) follow at once; ia32 has 4-byte pointers, so the DWORDs end at 40.
#if defined(_M_X64) || defined(__x86_64__) || defined(_M_ARM64) || defined(__aarch64__)
static_assert(offsetof(ProcessInfoExW, pUserSid) == 16, "WTS_PROCESS_INFO_EXW.pUserSid offset");
static_assert(offsetof(ProcessInfoExW, UserTime) == 48, "WTS_PROCESS_INFO_EXW.UserTime offset");
static_assert(sizeof(ProcessInfoExW) == 64, "WTS_PROCESS_INFO_EXW size");
#else
static_assert(offsetof(ProcessInfoExW, pUserSid) == 12, "WTS_PROCESS_INFO_EXW.pUserSid offset");
static_assert(offsetof(ProcessInfoExW, UserTime) == 40, "WTS_PROCESS_INFO_EXW.UserTime offset");
static_assert(sizeof(ProcessInfoExW) == 56, "WTS_PROCESS_INFO_EXW size");
#endif

// The array WTSEnumerateProcessesExW hands out, released with WTSFreeMemoryExW (WTSFreeMemory is the wrong call for
// it, as the WTSEnumerateProcessesExW page says).
class ProcessInfoExList {
 public:
  ProcessInfoExList() = default;
  ProcessInfoExList(const ProcessInfoExList&) = delete;
  ProcessInfoExList& operator=(const ProcessInfoExList&) = delete;
  ~ProcessInfoExList() {
    if (ptr_ != nullptr) WTSFreeMemoryExW(WTSTypeProcessInfoLevel1, ptr_, count_);
  }

  // Level 1 of every session's processes on `server`.
  BOOL Enumerate(HANDLE server) {
    DWORD level = 1;
    return WTSEnumerateProcessesExW(server, &level, kWtsAnySession, reinterpret_cast<LPWSTR*>(&ptr_), &count_);
  }
  DWORD size() const { return ptr_ == nullptr ? 0 : count_; }
  const ProcessInfoExW& operator[](size_t i) const { return ptr_[i]; }

 private:
  ProcessInfoExW* ptr_ = nullptr;
  DWORD count_ = 0;
};

}  // namespace wts
