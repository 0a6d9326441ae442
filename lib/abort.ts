import { abortError } from './errors.js';

/** Rejects with an AbortError as soon as `signal` aborts (at once if it already has); otherwise settles as `promise`. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined); // settles later, unobserved
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Keeps the process alive while `promise` is pending, until `signal` aborts. The addon's long waits (a message box,
 * an event wait) run on threads that do not hold the event loop, so that an abandoned wait never keeps a process
 * from exiting; this holds it for as long as someone still wants the answer.
 */
export function keepAliveWhile<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  const timer = setInterval(() => undefined, 1 << 30);
  const release = () => {
    clearInterval(timer);
  };
  signal?.addEventListener('abort', release, { once: true });
  return promise.finally(() => {
    release();
    signal?.removeEventListener('abort', release);
  });
}
