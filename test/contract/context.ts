import { expect } from 'vitest';
import type { SessionsClient } from '../../lib/client.js';
import { WtsError } from '../../lib/errors.js';
import type { ContractFixture, Scenario } from './scenario.js';

/** What every contract case works with; refreshed before each case. */
export interface ContractContext {
  scenario: Scenario;
  client: SessionsClient;
  fixture: ContractFixture;
  /** Changes the scenario and hands it to the backend again. */
  load(change?: (s: Scenario) => void): Promise<void>;
}

/** Expects `promise` to reject with a WtsError carrying exactly these fields. */
export async function expectWtsError(
  promise: Promise<unknown>,
  fields: { code: string; errno: number; syscall: string; sessionId?: number; server?: string },
): Promise<WtsError> {
  const error = await promise.then(
    () => expect.fail('expected a WtsError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WtsError);
  const wts = error as WtsError;
  expect({
    code: wts.code,
    errno: wts.errno,
    syscall: wts.syscall,
    sessionId: wts.sessionId,
    server: wts.server,
  }).toEqual({
    sessionId: undefined,
    server: undefined,
    ...fields,
  });
  return wts;
}

/** Expects `promise` to reject with an error of this name and code. */
export async function expectRejection(promise: Promise<unknown>, name: string, code: string): Promise<Error> {
  const error = await promise.then(
    () => expect.fail(`expected ${name} ${code}`),
    (e: unknown) => e as Error & { code?: string },
  );
  expect({ name: error.name, code: error.code }).toEqual({ name, code });
  return error;
}
