// vitest globalSetup: prepares the Wine environment once for every native suite (see environment.ts).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { hasCommand, MINGW_CXX, toolGate } from '../toolchain.js';
import { prepareWineEnvironment, ROOT, WINE, type WineEnvironment } from './environment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** null when the tools are missing (the suites then skip, or fail under CI with `wineGateFailure`). */
    wine: WineEnvironment | null;
    wineGateFailure: string | null;
  }
}

/** The suites that use Wine (they call useWine), as paths a vitest file filter is matched against. */
function wineSuites(): string[] {
  return readdirSync(join(ROOT, 'test', 'native'))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(ROOT, 'test', 'native', name));
}

export default function setup(project: TestProject): void {
  // `vitest run test/unit` (or any filter no Wine suite matches) neither cross-builds nor starts Wine.
  const filters = (project.vitest as { filenamePattern?: string[] }).filenamePattern ?? [];
  if (filters.length > 0 && !wineSuites().some((file) => filters.some((filter) => file.includes(filter)))) {
    project.provide('wineGateFailure', null);
    project.provide('wine', null);
    return;
  }
  const gate = toolGate('Wine (wine64) with MinGW-w64', existsSync(WINE) && hasCommand(MINGW_CXX));
  project.provide('wineGateFailure', gate.failure ?? null);
  project.provide('wine', gate.run ? prepareWineEnvironment() : null);
}
