// The MinGW build's answer to node-gyp's win_delay_load_hook.cc (which MSVC builds get from node-gyp itself).
//
// The addon's Node-API imports name "node.exe". Linked normally, the loader would look for a module of that name, so
// the addon could not load in Electron, a renamed node.exe or a single-executable app, and could even pull in a
// second node.exe found on the PATH. CMakeLists.txt links those imports as delay-loaded instead; this hook answers
// the delay-load helper's request for "node.exe" with the running program, which exports Node-API in every host.
#include <windows.h>
// delayimp.h after windows.h: it uses the Windows types.
#include <delayimp.h>
#include <string.h>

namespace {

FARPROC WINAPI LoadHostProgram(unsigned event, PDelayLoadInfo info) {
  if (event == dliNotePreLoadLibrary && _stricmp(info->szDll, "node.exe") == 0) {
    return reinterpret_cast<FARPROC>(GetModuleHandleW(nullptr));
  }
  return nullptr;  // anything else: the helper's own default
}

// MinGW's delay-load helper (libmingwex) defines __pfnDliNotifyHook2 itself, so it is set here, while the DLL loads
// and before Node calls napi_register_module_v1 (the first Node-API call), rather than defined with an initialiser.
const bool hook_installed = (__pfnDliNotifyHook2 = LoadHostProgram, true);

}  // namespace
