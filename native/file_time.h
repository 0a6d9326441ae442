// FILETIME values (WTSINFOW's LARGE_INTEGER times) go to JS unchanged as BigInt: they exceed 2^53, and the
// conversion to Date lives in lib/filetime.ts where it is unit-tested.
#pragma once

#include <napi.h>

#include "win_api.h"

namespace wts {

inline Napi::BigInt FileTimeToJs(Napi::Env env, LARGE_INTEGER value) {
  return Napi::BigInt::New(env, static_cast<int64_t>(value.QuadPart));
}

}  // namespace wts
