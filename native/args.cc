#include "args.h"

#include <cmath>

namespace wts {

DWORD ReadSessionId(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  if (!info[index].IsNumber()) throw Napi::TypeError::New(env, "sessionId must be a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || std::trunc(value) != value || value < 0 || value > 4294967293.0) {
    throw Napi::RangeError::New(env, "sessionId must be an integer from 0 to 4294967293");
  }
  return static_cast<DWORD>(value);
}

std::optional<std::u16string> ReadServer(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  if (info[index].IsUndefined() || info[index].IsNull()) return std::nullopt;
  if (!info[index].IsString()) throw Napi::TypeError::New(env, "server must be a string or null");
  std::u16string name = info[index].As<Napi::String>().Utf16Value();
  if (name.empty()) return std::nullopt;
  // A NUL would make Windows read a shorter name, i.e. another host.
  if (name.find(u'\0') != std::u16string::npos) throw Napi::RangeError::New(env, "server must not contain NUL");
  if (name.size() > 255) throw Napi::RangeError::New(env, "server must be at most 255 characters");
  return name;
}

bool ReadBool(const Napi::CallbackInfo& info, size_t index) {
  if (!info[index].IsBoolean()) throw Napi::TypeError::New(info.Env(), "expected a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

}  // namespace wts

namespace wts {

DWORD ReadUint32(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  if (!info[index].IsNumber()) throw Napi::TypeError::New(env, "expected a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || std::trunc(value) != value || value < 0 || value > 4294967295.0) {
    throw Napi::RangeError::New(env, "expected an integer from 0 to 4294967295");
  }
  return static_cast<DWORD>(value);
}

std::u16string ReadText(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  if (!info[index].IsString()) throw Napi::TypeError::New(env, "expected a string");
  std::u16string text = info[index].As<Napi::String>().Utf16Value();
  if (text.size() > (1u << 20)) throw Napi::RangeError::New(env, "text too long");
  return text;
}

}  // namespace wts
