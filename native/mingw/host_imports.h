// Node-API for the cross builds comes from the host, resolved while the DLL loads (host_imports.cc).
#pragma once

namespace wts {

// True when the host exports every Node-API version 8 function. Otherwise throws an Error naming the missing ones
// (code ERR_WINDOWS_SESSIONS_HOST_NODE_API) into `env`, a napi_env, and returns false: the caller must then make
// no other Node-API call.
bool HostHasNodeApi(void* env);

}  // namespace wts
