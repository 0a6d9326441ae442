// RAII owners for what the WTS functions hand out, so every path (errors and exceptions included) gives it back.
#pragma once

#include <optional>
#include <string>

#include "win32_failure.h"
#include "win_api.h"
// After windows.h (win_api.h), which it depends on.
#include <lm.h>

namespace wts {

// A buffer allocated by a WTS function, released with WTSFreeMemory.
template <typename T>
class WtsMemory {
 public:
  WtsMemory() = default;
  WtsMemory(const WtsMemory&) = delete;
  WtsMemory& operator=(const WtsMemory&) = delete;
  ~WtsMemory() {
    if (ptr_ != nullptr) WTSFreeMemory(ptr_);
  }

  // For the out-parameter of a WTS call; the holder must be empty.
  T** Out() { return &ptr_; }
  // WTSQuerySessionInformationW takes LPWSTR* whatever the class returns.
  LPWSTR* OutWide() { return reinterpret_cast<LPWSTR*>(&ptr_); }
  T* Get() const { return ptr_; }
  const T& operator[](size_t i) const { return ptr_[i]; }

 private:
  T* ptr_ = nullptr;
};

// A buffer from a network management function, released with NetApiBufferFree on every path.
// (NetUserGetLocalGroups, NetUserGetGroups, DsGetDcNameW: Microsoft's pages say to free it even on ERROR_MORE_DATA).
template <typename T>
class NetBuffer {
 public:
  NetBuffer() = default;
  NetBuffer(const NetBuffer&) = delete;
  NetBuffer& operator=(const NetBuffer&) = delete;
  ~NetBuffer() {
    if (ptr_ != nullptr) NetApiBufferFree(ptr_);
  }
  LPBYTE* Out() { return reinterpret_cast<LPBYTE*>(&ptr_); }
  T** OutTyped() { return &ptr_; }
  T* Get() const { return ptr_; }

 private:
  T* ptr_ = nullptr;
};

// A token handle, closed with CloseHandle on every path (the WTSQueryUserToken page: never leak a user's token).
class TokenHandle {
 public:
  TokenHandle() = default;
  TokenHandle(const TokenHandle&) = delete;
  TokenHandle& operator=(const TokenHandle&) = delete;
  ~TokenHandle() {
    if (handle_ != nullptr) CloseHandle(handle_);
  }
  HANDLE* Out() { return &handle_; }
  HANDLE Get() const { return handle_; }

 private:
  HANDLE handle_ = nullptr;
};

// A server handle: the local machine (WTS_CURRENT_SERVER_HANDLE, never closed) or one from WTSOpenServerW, closed
// with WTSCloseServer.
class ServerHandle {
 public:
  ServerHandle() = default;
  ServerHandle(const ServerHandle&) = delete;
  ServerHandle& operator=(const ServerHandle&) = delete;
  ~ServerHandle() {
    if (handle_ != WTS_CURRENT_SERVER_HANDLE) WTSCloseServer(handle_);
  }

  // Opens `name`, or keeps the local machine when there is no name.
  Failure Open(const std::optional<std::u16string>& name) {
    if (!name) return std::nullopt;
    handle_ = WTSOpenServerW(const_cast<LPWSTR>(reinterpret_cast<const wchar_t*>(name->c_str())));
    if (handle_ == nullptr) return LastError("WTSOpenServerW");
    return std::nullopt;
  }

  HANDLE Get() const { return handle_; }
  bool IsLocal() const { return handle_ == WTS_CURRENT_SERVER_HANDLE; }

 private:
  HANDLE handle_ = WTS_CURRENT_SERVER_HANDLE;
};

}  // namespace wts
