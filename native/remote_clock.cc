#include "remote_clock.h"

#include <lm.h>

#include "file_time.h"

namespace wts {

namespace {

int64_t FileTimeMs(const FILETIME& t) {
  const int64_t value = (static_cast<int64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime;
  return (value - kFileTimeUnixEpoch) / 10000;
}

}  // namespace

int64_t CallerClockMs() {
  FILETIME now;
  GetSystemTimePreciseAsFileTime(&now);
  return FileTimeMs(now);
}

RemoteClock ReadRemoteClock(const std::u16string& server, int64_t start) {
  RemoteClock clock;
  clock.start = start;
  LPBYTE buffer = nullptr;
  clock.before = CallerClockMs();
  const NET_API_STATUS status = NetRemoteTOD(reinterpret_cast<LPCWSTR>(server.c_str()), &buffer);
  clock.after = CallerClockMs();
  if (status == NERR_Success && buffer != nullptr) {
    // TIME_OF_DAY_INFO: tod_elapsedt is seconds since 1970 (GMT), tod_hunds the hundredths; tod_msecs counts from an
    // arbitrary point and is no wall clock.
    const auto* tod = reinterpret_cast<const TIME_OF_DAY_INFO*>(buffer);
    clock.remote = static_cast<int64_t>(tod->tod_elapsedt) * 1000 + static_cast<int64_t>(tod->tod_hunds) * 10;
  } else {
    clock.error = status != NERR_Success ? status : ERROR_INVALID_DATA;
  }
  if (buffer != nullptr) NetApiBufferFree(buffer);
  clock.end = clock.after;
  return clock;
}

Napi::Object RemoteClockToJs(Napi::Env env, const RemoteClock& clock) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("start", Napi::Number::New(env, static_cast<double>(clock.start)));
  o.Set("before", Napi::Number::New(env, static_cast<double>(clock.before)));
  o.Set("after", Napi::Number::New(env, static_cast<double>(clock.after)));
  o.Set("end", Napi::Number::New(env, static_cast<double>(clock.end)));
  o.Set("remote", clock.error ? env.Null() : Napi::Number::New(env, static_cast<double>(clock.remote)));
  o.Set("errno", Napi::Number::New(env, clock.error));
  return o;
}

}  // namespace wts
