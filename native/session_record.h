// One session's fields, gathered on a worker thread and turned into a JS object on the main thread.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "win_api.h"

namespace wts {

// A detail query that failed for a session that is still there; the fields it fills stay empty.
struct DetailFailure {
  WTS_INFO_CLASS infoClass;
  DWORD code;
};

struct SessionRecord {
  DWORD id = 0;
  std::u16string stationName;
  DWORD state = 0;
  std::u16string userName;
  std::u16string domain;
  int32_t protocol = -1;  // -1: Windows did not say.
  std::u16string clientName;
  DWORD clientAddressFamily = 0;
  // As text, not bytes: a string per record costs the event loop far less than a Buffer (see ClientAddressText).
  std::u16string clientAddress;
  LARGE_INTEGER connectTime{};
  LARGE_INTEGER disconnectTime{};
  LARGE_INTEGER lastInputTime{};
  LARGE_INTEGER logonTime{};
  LARGE_INTEGER currentTime{};
  bool isCurrent = false;
  int32_t lockState = -1;  // lock_state.h: -1 not read or unknown, 0 unlocked, 1 locked.
  std::vector<DetailFailure> failures;
};

// The property names of a record, made once per call rather than once per record and property.
class RecordKeys {
 public:
  explicit RecordKeys(Napi::Env env);
  napi_value operator[](size_t i) const { return keys_[i]; }
  static constexpr size_t kCount = 16;

 private:
  napi_value keys_[kCount];
};

// The object lib/native/addon.ts describes as RawSession, built with one napi_define_properties call.
Napi::Object ToJs(Napi::Env env, const SessionRecord& record, const RecordKeys& keys);

}  // namespace wts
