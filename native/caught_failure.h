// A C++ exception caught where nothing may escape (a pool thread, libuv's thread, a callback from JS or from Node),
// turned into the Win32 failure the promise rejects with: an allocation that failed is ERROR_NOT_ENOUGH_MEMORY.
#pragma once

#include "win32_failure.h"

namespace wts {

// Call only inside a catch block: the exception being handled, as a failure. Allocates nothing.
Failure CaughtFailure() noexcept;

}  // namespace wts
