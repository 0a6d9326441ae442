// UTF-16 text between Windows and JS. N-API takes and gives UTF-16 directly, so names (non-BMP ones too) are
// never transcoded, only bounded.
#pragma once

#include <napi.h>

#include <cstddef>
#include <string>

#include "win_api.h"

namespace wts {

// A fixed-size WCHAR array from a WTS struct: up to the first NUL, never past the array even when it is full and
// unterminated (WTSINFOW.WinStationName has no room for one).
template <size_t N>
std::u16string FromFixed(const WCHAR (&chars)[N]) {
  size_t length = 0;
  while (length < N && chars[length] != L'\0') ++length;
  return std::u16string(reinterpret_cast<const char16_t*>(chars), length);
}

// A NUL-terminated string from a WTS buffer; NULL gives "".
inline std::u16string FromPointer(const WCHAR* chars) {
  if (chars == nullptr) return std::u16string();
  return std::u16string(reinterpret_cast<const char16_t*>(chars));
}

inline Napi::String ToJs(Napi::Env env, const std::u16string& text) { return Napi::String::New(env, text); }

}  // namespace wts
