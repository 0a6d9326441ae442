import type { Addon } from '../native/addon.js';

/** SERVICE_STOPPED, SERVICE_START_PENDING, SERVICE_STOP_PENDING and SERVICE_RUNNING (winsvc.h). */
export const SERVICE_STATE = { stopped: 1, startPending: 2, stopPending: 3, running: 4 } as const;
/** ERROR_SERVICE_SPECIFIC_ERROR: the service's own exit code is in dwServiceSpecificExitCode. */
export const ERROR_SERVICE_SPECIFIC_ERROR = 1066;
/** The wait hint of each step the SCM is told about while the service stops (native/service_host.cc says 20 s). */
export const STOP_WAIT_HINT_MS = 20_000;

/** The service's side of the SCM, in JS: the controls it is sent, and the status it reports. */
export interface ServiceHost {
  /** Aborts on STOP, SHUTDOWN or PRESHUTDOWN. */
  readonly stopping: AbortSignal;
  /** Each session change the SCM reports: its WTS_SESSION_* event type and session id. */
  onSessionChange: (eventType: number, sessionId: number) => void;
  running(): void;
  /** While stopping: a new checkpoint, so that the SCM sees progress. */
  stillStopping(): void;
  /** The last status: the SCM may end the process at once after it. */
  stopped(serviceExitCode?: number): void;
}

/**
 * Starts the control dispatcher for the service `name` and resolves once its ServiceMain runs (the service is
 * START_PENDING); rejects with the Win32 error when the process was not started by the SCM (1063) or the handler
 * could not be registered.
 */
export function startServiceHost(addon: Pick<Addon, 'startServiceDispatcher' | 'setServiceState'>, name: string) {
  const controller = new AbortController();
  return new Promise<ServiceHost>((resolve, reject) => {
    const host: ServiceHost = {
      stopping: controller.signal,
      onSessionChange: () => undefined,
      running: () => {
        addon.setServiceState(SERVICE_STATE.running, 0, 0, 0);
      },
      stillStopping: () => {
        addon.setServiceState(SERVICE_STATE.stopPending, STOP_WAIT_HINT_MS, 0, 0);
      },
      stopped: (serviceExitCode = 0) => {
        const win32 = serviceExitCode === 0 ? 0 : ERROR_SERVICE_SPECIFIC_ERROR;
        addon.setServiceState(SERVICE_STATE.stopped, 0, win32, serviceExitCode);
      },
    };
    addon.startServiceDispatcher(name, (kind, a, b) => {
      if (kind === 'started') resolve(host);
      else if (kind === 'failed') reject(a);
      else if (kind === 'stop') controller.abort();
      else if (kind === 'sessionChange') host.onSessionChange(a as number, b!);
    });
  });
}
