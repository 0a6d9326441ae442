// Which test files a vitest file filter (`npx vitest run <filter…>`) selects, the way vitest 4 itself decides
// (`filterFiles` in vitest/dist/chunks/cli-api.*.js): the path relative to the root, lower-cased, contains a filter,
// or an absolute filter is a prefix of the path. The global setups use it to decide what to prepare, so that they
// prepare exactly what the selected suites need (`npx vitest run cli` neither cross-builds nor starts Wine).
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

/** A path with forward slashes, as vitest compares them (it uses pathe, which does so on every platform). */
const slash = (path: string) => path.replaceAll('\\', '/');

/** The vitest test files (`*.test.ts`) under `dir`, as absolute paths. */
export function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Whether vitest runs `file` (absolute) for `filters`; no filter selects every file. */
export function selects(root: string, filters: readonly string[], file: string): boolean {
  if (filters.length === 0) return true;
  const path = slash(relative(root, file)).toLowerCase();
  return filters.some((raw) => {
    const filter = slash(raw);
    if (isAbsolute(raw) && slash(file).startsWith(filter)) return true;
    const relativeFilter = slash(raw.endsWith('/') ? join(relative(root, raw), '/') : relative(root, raw));
    return path.includes(filter.toLowerCase()) || path.includes(relativeFilter.toLowerCase());
  });
}
