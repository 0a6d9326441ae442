import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Addon } from './addon.js';

/** `code` of the error the native backend rejects with off Windows (its message names the mock). */
export const ERR_UNSUPPORTED_PLATFORM = 'ERR_WINDOWS_SESSIONS_UNSUPPORTED_PLATFORM';
/** `code` of the error the native backend rejects with when the compiled addon cannot be loaded on Windows. */
export const ERR_ADDON_LOAD = 'ERR_WINDOWS_SESSIONS_ADDON_LOAD';

function codedError(code: string, message: string, cause?: unknown): Error & { code: string } {
  const error = new Error(message, cause === undefined ? undefined : { cause }) as Error & { code: string };
  error.code = code;
  return error;
}

let cached: Addon | undefined;

/**
 * Loads the compiled addon the first time it is needed, never at import time: importing the package must work on
 * every platform and in bundlers. Only on Windows; elsewhere it throws an error that points to the mock.
 */
export function loadAddon(): Addon {
  if (cached) return cached;
  if (process.platform !== 'win32') {
    throw codedError(
      ERR_UNSUPPORTED_PLATFORM,
      `windows-sessions talks to the Windows Terminal Services API and cannot run on ${process.platform}. ` +
        "In tests, use the mock backend: import { installMock } from 'windows-sessions/mock'.",
    );
  }
  const root = packageRoot();
  try {
    const nodeGypBuild = createRequire(join(root, 'package.json'))('node-gyp-build') as (dir: string) => Addon;
    cached = nodeGypBuild(root);
  } catch (error) {
    throw codedError(
      ERR_ADDON_LOAD,
      `windows-sessions could not load its native addon from ${join(root, 'prebuilds')} or ${join(root, 'build')}: ` +
        `${(error as Error).message}. Reinstall the package, or build it with "npx node-gyp rebuild".`,
      error,
    );
  }
  return cached;
}

/**
 * The package root holds package.json, binding.gyp and prebuilds/; the built JS lives in dist/ below it. Found only
 * when the addon is loaded, never at import: a bundler's CommonJS output of the ES module build has no
 * `import.meta.url`, and must still load. In a bundle it is the folder above the bundle's (see README, "Bundling").
 */
function packageRoot(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  return dirname(here);
}
