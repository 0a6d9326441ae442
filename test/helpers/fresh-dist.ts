// vitest globalSetup: the suites that run the built package (the CLI, the tarball, the README's examples, the Wine
// suites) refuse a dist/ older than its sources, which would test yesterday's code and pass. `npm test` builds
// first; a bare `vitest run` after an edit to lib/ stops here with what to do.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { selects, testFiles } from './suite-filter.js';

/** The suites that load dist/ rather than lib/. */
const DIST_SUITES = ['test/cli', 'test/package', 'test/readme', 'test/native'];

/** Newest modification time (ms) of the files under `dir` that `keep` accepts; 0 when there are none. */
function newest(dir: string, keep: (file: string) => boolean): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !keep(entry.name)) continue;
    latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Why dist/ under `root` cannot be trusted (missing, or older than lib/, package.json or tsup.config.ts), or null. */
export function staleDist(root: string): string | null {
  const built = join(root, 'dist', 'index.js');
  if (!existsSync(built)) return 'dist/ is missing: run `npm run build` (npm test does) before these suites.';
  const sources = Math.max(
    newest(join(root, 'lib'), (file) => file.endsWith('.ts')),
    ...['package.json', 'tsup.config.ts'].map((file) => statSync(join(root, file)).mtimeMs),
  );
  const oldestBuilt = Math.min(
    ...readdirSync(join(root, 'dist'))
      .filter((file) => /\.(c?js)$/.test(file))
      .map((file) => statSync(join(root, 'dist', file)).mtimeMs),
  );
  return sources > oldestBuilt
    ? 'dist/ is older than lib/ (or package.json, tsup.config.ts): these suites would test the previous build. ' +
        'Run `npm run build` (npm test does).'
    : null;
}

export default function setup(project: TestProject): void {
  const filters = (project.vitest as { filenamePattern?: string[] }).filenamePattern ?? [];
  const root = project.config.root;
  const usesDist = DIST_SUITES.flatMap((suite) => testFiles(join(root, suite))).some((file) =>
    selects(root, filters, file),
  );
  if (!usesDist) return;
  const stale = staleDist(root);
  if (stale) {
    // Thrown, this would come after vitest's "No test files found" and before a stack trace of vitest's own
    // internals: the message is all there is to say.
    process.stderr.write(`\n${stale}\n\n`);
    process.exit(1);
  }
}
