// A failed Win32 call as the workers record it off the main thread, and its conversion to a JS Error on it.
#pragma once

#include <napi.h>

#include <cstdint>
#include <optional>
#include <string>

#include "win_api.h"

namespace wts {

struct Win32Failure {
  Win32Failure(DWORD code, const char* syscall, std::optional<DWORD> sessionId = std::nullopt)
      : code(code), syscall(syscall), sessionId(sessionId) {}

  DWORD code;
  const char* syscall;  // Always a string literal.
  std::optional<DWORD> sessionId;
  std::u16string text;  // The system's text for `code`; filled by Describe, off the main thread.
};

// Empty when the call succeeded.
using Failure = std::optional<Win32Failure>;

// GetLastError() of the call that just failed.
inline Failure LastError(const char* syscall, std::optional<DWORD> sessionId = std::nullopt) {
  return Win32Failure{GetLastError(), syscall, sessionId};
}

// The "session ended" error: from WTSSessionInfo (and only there) it means the session is gone, not that the
// listing failed. ERROR_CTX_CLOSE_PENDING is not one: a hung session in the Down state answers it (Cassia #36) and
// is still there, for an administrator to reset. lib/win32-errors.ts has the same list for the mock;
// test/unit/vanished-errors.test.ts compares them.
inline bool IsVanishedSession(DWORD code) { return code == ERROR_CTX_WINSTATION_NOT_FOUND; }

// Fills in the system's text (FormatMessageW). Called on the worker thread, so the main thread never waits on it.
// Without memory for it the text stays empty: it runs where nothing may throw.
void Describe(Failure& failure) noexcept;

// An Error created with the system's text as its message (so its stack shows it), with errno, syscall and sessionId
// properties; the JS layer turns it into a WtsError.
Napi::Error MakeWin32Error(Napi::Env env, const Win32Failure& failure);

}  // namespace wts
