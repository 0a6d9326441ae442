/* A libnode.dll, the DLL a Node.js built with `vcbuild.bat dll` takes Node-API from (test/native/host-dll.test.ts).
 *
 * Loaded into the official node.exe, it exports the Node-API functions listed in node_api_list.h (written by the
 * test) as thunks that count the call and jump on to node.exe's own function. So the addon works as in a real
 * libnode.dll host, and the count shows whether its calls came through this DLL or straight from node.exe. A list
 * missing a function makes a host that lacks it. The DLL is also an addon itself (napi_register_module_v1), so the
 * test loads it with process.dlopen before the package and reads the count with forwarded(). */
#include <windows.h>

/* Calls that came through the thunks below. Its own export (forwarded) never goes through them. */
__attribute__((used)) volatile LONG64 forwarded;

/* One thunk per function: count, then jump with every argument register untouched. */
#define NODE_API(name)                      \
  __attribute__((used)) void* real_##name;  \
  __asm__(".text\n.globl " #name "\n" #name \
          ":\n"                             \
          "\tlock incq forwarded(%rip)\n"   \
          "\tjmp *real_" #name              \
          "(%rip)\n"                        \
          ".section .drectve\n.ascii \" -export:" #name "\"\n.text\n");
#include "node_api_list.h"
#undef NODE_API

typedef struct napi_env__* napi_env;
typedef struct napi_value__* napi_value;
typedef struct napi_callback_info__* napi_callback_info;
typedef napi_value (*napi_callback)(napi_env, napi_callback_info);
typedef int (*CreateDouble)(napi_env, double, napi_value*);
typedef int (*CreateFunction)(napi_env, const char*, size_t, napi_callback, void*, napi_value*);
typedef int (*SetNamedProperty)(napi_env, napi_value, const char*, napi_value);

static CreateDouble createDouble;
static CreateFunction createFunction;
static SetNamedProperty setNamedProperty;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  (void)instance, (void)reserved;
  if (reason != DLL_PROCESS_ATTACH) return TRUE;
  HMODULE node = GetModuleHandleW(NULL);
#define NODE_API(name) real_##name = (void*)GetProcAddress(node, #name);
#include "node_api_list.h"
#undef NODE_API
  createDouble = (CreateDouble)(void*)GetProcAddress(node, "napi_create_double");
  createFunction = (CreateFunction)(void*)GetProcAddress(node, "napi_create_function");
  setNamedProperty = (SetNamedProperty)(void*)GetProcAddress(node, "napi_set_named_property");
  return TRUE;
}

static napi_value Forwarded(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value count;
  createDouble(env, (double)forwarded, &count);
  return count;
}

__declspec(dllexport) napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  napi_value function;
  createFunction(env, "forwarded", 9, Forwarded, NULL, &function);
  setNamedProperty(env, exports, "forwarded", function);
  return exports;
}
