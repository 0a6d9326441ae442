// The addon's exports as JS calls them. node-addon-api turns only a Napi::Error into a JS exception; any other C++
// exception (std::bad_alloc reading an argument, making a worker, queueing it, starting a thread) would unwind
// through V8's frames and end the process. Here it becomes what the caller is already waiting for: a rejection, or
// for a synchronous export an exception, with the Win32 error it stands for (ERROR_NOT_ENOUGH_MEMORY).
// NODE_ADDON_API_CPP_EXCEPTIONS_ALL (binding.gyp, CMakeLists.txt) backs this up for anything thrown elsewhere.
#pragma once

#include <napi.h>

#include "caught_failure.h"

namespace wts {

using Export = Napi::Value (*)(const Napi::CallbackInfo&);

// For an export that returns a promise.
template <Export Fn>
Napi::Value Promising(const Napi::CallbackInfo& info) {
  try {
    return Fn(info);
  } catch (const Napi::Error&) {
    throw;  // an argument error: thrown as it is
  } catch (...) {
    Failure failure = CaughtFailure();
    Describe(failure);
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(info.Env());
    deferred.Reject(MakeWin32Error(info.Env(), *failure).Value());
    return deferred.Promise();
  }
}

// For an export that answers at once.
template <Export Fn>
Napi::Value Synchronous(const Napi::CallbackInfo& info) {
  try {
    return Fn(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    Failure failure = CaughtFailure();
    Describe(failure);
    throw MakeWin32Error(info.Env(), *failure);
  }
}

}  // namespace wts
