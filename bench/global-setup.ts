// npm run bench: the same Wine environment as the native test suites, plus koffi and the benchmark methods.
import type { TestProject } from 'vitest/node';
import { prepareWineEnvironment } from '../test/native/wine/environment.js';

export default function setup(project: TestProject): void {
  project.provide('wineGateFailure', null);
  project.provide('wine', prepareWineEnvironment({ bench: true }));
}
