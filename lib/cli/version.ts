import { readFileSync } from 'node:fs';

// Set by tsup for the built CLI (tsup.config.ts); absent when the CLI runs from source in tests.
declare const __PACKAGE_VERSION__: string | undefined;

/** This package's own version, never the version of whatever project runs it (npm_package_version). */
export function packageVersion(): string {
  if (typeof __PACKAGE_VERSION__ === 'string') return __PACKAGE_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
