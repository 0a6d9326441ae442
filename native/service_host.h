// The service side of the Service Control Manager: a control dispatcher on a thread of its own, the handler it
// calls, and the status the service reports. One service per process (SERVICE_WIN32_OWN_PROCESS).
#pragma once

#include <napi.h>

namespace wts {

// (name, onControl): starts StartServiceCtrlDispatcherW on its own thread and returns at once. onControl(kind, a, b)
// is called on the main thread: ('started') once ServiceMain has registered the handler and reported
// START_PENDING; ('failed', error) when the dispatcher or the handler could not start (ERROR_FAILED_SERVICE_CONTROLLER_
// CONNECT, 1063, when the process was not started by the SCM); ('stop', control) for STOP, SHUTDOWN and PRESHUTDOWN,
// already answered with STOP_PENDING; ('sessionChange', eventType, sessionId); ('ended') when the dispatcher returns.
Napi::Value StartServiceDispatcher(const Napi::CallbackInfo& info);

// (state, waitHintMs, win32ExitCode, serviceExitCode): SetServiceStatus. A pending state counts its checkpoint up;
// RUNNING accepts STOP, SHUTDOWN, PRESHUTDOWN and SESSIONCHANGE. Throws the Win32 error when it fails.
Napi::Value SetServiceState(const Napi::CallbackInfo& info);

}  // namespace wts
