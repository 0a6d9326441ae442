import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `npm pack` of the package as it would be published (prepack builds it); returns the tarball and its files. */
export function pack(): { tarball: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-pack-'));
  // --ignore-scripts: dist/ is already built by npm test; rebuilding it here would pull it from under the other suites.
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // npm prints the build's output before the JSON array.
  const json = JSON.parse(out.slice(out.indexOf('\n[') + 1)) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { tarball: join(dir, json[0]!.filename), files: json[0]!.files.map((f) => f.path).sort() };
}
