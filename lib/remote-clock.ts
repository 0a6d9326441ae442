import type { SessionClock } from './types.js';

/**
 * A remote host's clock as the addon read it (native/remote_clock.h), in ms since 1970: the caller's clock at the
 * `start` of the read, `before` and `after` NetRemoteTOD and at the `end` of the read, and the host's clock `remote`
 * (`null` when NetRemoteTOD failed, with its `errno`).
 */
export interface RemoteClockReading {
  start: number;
  before: number;
  after: number;
  end: number;
  remote: number | null;
  errno: number;
}

/**
 * How far `WTSINFOW.CurrentTime` may stray from a clock and still be taken as read from it, besides the time the
 * read itself took: TIME_OF_DAY_INFO counts in hundredths of a second, and a host's reply is not instantaneous.
 */
export const CLOCK_TOLERANCE_MS = 2000;

/** The clock a session's durations are measured on (`serverNowMs`), and which one that is. */
export interface SessionTiming {
  serverNowMs: number | null;
  clock: SessionClock | null;
}

/**
 * Which clock a session's durations are measured on, from its `WTSINFOW.CurrentTime` (`currentTime`) and, for a
 * remote host, that host's clock (`reading`). Windows Server 2008 and later answer a remote query without a current
 * time (MS-TSTS `LSM_SESSIONINFO_EX_LEVEL1` has none), so the calling machine fills it from its own clock (Cassia
 * #42, PSQuser #7): a CurrentTime near the caller's clock is moved onto the host's by the difference NetRemoteTOD
 * shows; one near the host's clock is the host's own (Windows Server 2003) and kept. Neither, or the host's clock
 * unreadable: unknown, unless `callerClockOk` accepts the CurrentTime as given (`'caller'`).
 */
export function sessionTiming(
  currentTime: number | null,
  reading: RemoteClockReading | undefined,
  callerClockOk: boolean,
): SessionTiming {
  if (currentTime === null) return { serverNowMs: null, clock: null };
  // This machine: its CurrentTime is its own clock.
  if (reading === undefined) return { serverNowMs: currentTime, clock: 'server' };
  if (reading.remote !== null) {
    const skew = Math.round(reading.remote - (reading.before + reading.after) / 2);
    const slack = CLOCK_TOLERANCE_MS + (reading.after - reading.before);
    const near = (offset: number) =>
      currentTime >= reading.start + offset - slack && currentTime <= reading.end + offset + slack;
    if (near(0)) return { serverNowMs: currentTime + skew, clock: 'server' };
    if (near(skew)) return { serverNowMs: currentTime, clock: 'server' };
  }
  return callerClockOk ? { serverNowMs: currentTime, clock: 'caller' } : { serverNowMs: null, clock: null };
}
