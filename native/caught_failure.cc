#include "caught_failure.h"

#include <new>
#include <system_error>

namespace wts {

Failure CaughtFailure() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return Win32Failure{ERROR_NOT_ENOUGH_MEMORY, "operator new"};
  } catch (const std::system_error& error) {
    // MinGW's threads allocate a mutex on its first lock, and report a failed allocation this way.
    if (error.code() == std::errc::not_enough_memory) return Win32Failure{ERROR_NOT_ENOUGH_MEMORY, "operator new"};
    return Win32Failure{ERROR_INTERNAL_ERROR, "C++ runtime"};
  } catch (...) {
    return Win32Failure{ERROR_INTERNAL_ERROR, "C++ runtime"};
  }
}

}  // namespace wts
