// vitest globalSetup: prepares the Wine environment once for every native suite (see environment.ts).
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { hasCommand, MINGW_CXX, toolGate } from '../toolchain.js';
import { prepareWineEnvironment, WINE, type WineEnvironment } from './environment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** null when the tools are missing (the suites then skip, or fail under CI with `wineGateFailure`). */
    wine: WineEnvironment | null;
    wineGateFailure: string | null;
  }
}

export default function setup(project: TestProject): void {
  const gate = toolGate('Wine (wine64) with MinGW-w64', existsSync(WINE) && hasCommand(MINGW_CXX));
  project.provide('wineGateFailure', gate.failure ?? null);
  project.provide('wine', gate.run ? prepareWineEnvironment() : null);
}
