#include "module_pin.h"

#include "win_api.h"

namespace wts {

DWORD PinModule() {
  HMODULE self = nullptr;
  // Any address inside this DLL names it; PIN makes FreeLibrary on it a no-op from now on.
  if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                         reinterpret_cast<LPCWSTR>(&PinModule), &self))
    return ERROR_SUCCESS;
  return GetLastError();
}

}  // namespace wts
