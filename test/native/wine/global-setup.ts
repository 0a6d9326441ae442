// vitest globalSetup: prepares the Wine environment once for every native suite (see environment.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { selects, testFiles } from '../../helpers/suite-filter.js';
import { hasCommand, MINGW_CXX, toolGate } from '../toolchain.js';
import { prepareWineEnvironment, ROOT, WINE, type WineEnvironment } from './environment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** null when the tools are missing (the suites then skip, or fail under CI with `wineGateFailure`). */
    wine: WineEnvironment | null;
    wineGateFailure: string | null;
  }
}

/** Whether the run that `filters` select includes a suite of test/native (those use Wine), as vitest selects. */
export function selectsWineSuite(root: string, filters: readonly string[]): boolean {
  return testFiles(join(root, 'test', 'native')).some((file) => selects(root, filters, file));
}

export default function setup(project: TestProject): void {
  // `vitest run test/unit`, `vitest run cli` (or any filter no Wine suite matches) neither cross-builds nor starts
  // Wine.
  const filters = (project.vitest as { filenamePattern?: string[] }).filenamePattern ?? [];
  if (!selectsWineSuite(ROOT, filters)) {
    project.provide('wineGateFailure', null);
    project.provide('wine', null);
    return;
  }
  const gate = toolGate('Wine (wine64) with MinGW-w64', existsSync(WINE) && hasCommand(MINGW_CXX));
  project.provide('wineGateFailure', gate.failure ?? null);
  project.provide('wine', gate.run ? prepareWineEnvironment() : null);
}
