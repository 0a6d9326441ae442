#include "lock_state.h"

namespace wts {

namespace {

bool IsWindows7Kernel() {
  // RtlGetVersion is exported by ntdll on every supported Windows; found at run time so nothing links against it.
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  if (ntdll == nullptr) return false;
  auto get = reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")));
  if (get == nullptr) return false;
  OSVERSIONINFOW version{};
  version.dwOSVersionInfoSize = sizeof(version);
  if (get(&version) != 0) return false;
  return version.dwMajorVersion == 6 && version.dwMinorVersion == 1;
}

}  // namespace

bool LockFlagsReversedHere() {
  static const bool reversed = IsWindows7Kernel();
  return reversed;
}

}  // namespace wts
