// What a native suite calls first: the prepared environment, or a skip (failure under CI) when tools are missing.
import { inject, it } from 'vitest';
import type { WineEnvironment } from './environment.js';

export function useWine(): WineEnvironment | null {
  const failure = inject('wineGateFailure');
  if (failure)
    it('has Wine and MinGW-w64 installed', () => {
      throw new Error(failure);
    });
  return inject('wine');
}
