#include "win32_failure.h"

#include <string>

namespace wts {

namespace {

// The system's text for an error code, without the trailing line break; empty when the system has none.
std::u16string SystemMessage(DWORD code) noexcept {
  LPWSTR text = nullptr;
  const DWORD length = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code,
      MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), reinterpret_cast<LPWSTR>(&text), 0, nullptr);
  std::u16string message;
  try {
    if (length > 0 && text != nullptr) message.assign(reinterpret_cast<const char16_t*>(text), length);
  } catch (...) {  // NOLINT(bugprone-empty-catch): no memory for the text; the error code still says it all
  }
  if (text != nullptr) LocalFree(text);
  while (!message.empty() && (message.back() == u'\r' || message.back() == u'\n' || message.back() == u' ')) {
    message.pop_back();
  }
  return message;
}

}  // namespace

void Describe(Failure& failure) noexcept {
  if (failure && failure->text.empty()) failure->text = SystemMessage(failure->code);
}

Napi::Error MakeWin32Error(Napi::Env env, const Win32Failure& failure) {
  napi_value error = nullptr;
  NAPI_THROW_IF_FAILED(env, napi_create_error(env, nullptr, Napi::String::New(env, failure.text), &error),
                       Napi::Error());
  Napi::Object object(env, error);
  object.Set("errno", Napi::Number::New(env, failure.code));
  object.Set("syscall", Napi::String::New(env, failure.syscall));
  if (failure.sessionId) object.Set("sessionId", Napi::Number::New(env, *failure.sessionId));
  return Napi::Error(env, error);
}

}  // namespace wts
