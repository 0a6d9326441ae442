// FILETIME values (WTSINFOW's LARGE_INTEGER times: UTC, 100-ns units since 1601-01-01) go to JS as milliseconds
// since 1970, converted here in 64-bit integers (they exceed 2^53, so a double would lose the low digits), and
// without a BigInt per time. test/native/windows-truth.test.ts checks the edges against hand-computed values.
#pragma once

#include <napi.h>

#include <cstdint>

#include "win_api.h"

namespace wts {

// 100-ns intervals between 1601-01-01 and 1970-01-01.
constexpr int64_t kFileTimeUnixEpoch = 116444736000000000LL;
// A JS Date holds ±8.64e15 ms around 1970.
constexpr int64_t kMaxDateMs = 8640000000000000LL;

// Milliseconds since 1970, floored (so times before 1970 round as those after), or null: 0 and anything negative
// mean "no such time", as does one no Date can hold.
inline Napi::Value FileTimeToJs(Napi::Env env, LARGE_INTEGER value) {
  const int64_t fileTime = value.QuadPart;
  if (fileTime <= 0) return env.Null();
  const int64_t diff = fileTime - kFileTimeUnixEpoch;
  int64_t ms = diff / 10000;
  if (diff % 10000 != 0 && diff < 0) --ms;
  if (ms > kMaxDateMs) return env.Null();
  return Napi::Number::New(env, static_cast<double>(ms));
}

}  // namespace wts
