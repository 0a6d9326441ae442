import { existsSync, readdirSync } from 'node:fs';
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

/**
 * The one command that builds the addon from source, run in the package folder. binding.gyp is in native/, not at the
 * package root (where package managers would take it for an install script); its copy step puts the result in
 * build/Release/, where node-gyp-build looks first.
 */
export const BUILD_FROM_SOURCE = 'npx node-gyp rebuild --directory native';

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
      hostFailure(error as Error) ?? loadFailure(root, process.arch, error as Error),
      error,
    );
  }
  return cached;
}

/**
 * The files loading the addon runs: the package folder, the addon node-gyp-build picks in it, and node-gyp-build's
 * own files (for the service to check that no one else may change them).
 */
export function addonFiles(): { packageRoot: string; addon: string; helpers: string[] } {
  const root = packageRoot();
  const require = createRequire(join(root, 'package.json'));
  const loader = require.resolve('node-gyp-build');
  const resolve = (require('node-gyp-build') as { resolve: (dir: string) => string }).resolve;
  const helpers = readdirSync(dirname(loader), { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(js|json)$/.test(entry.name))
    .map((entry) => join(dirname(loader), entry.name));
  return { packageRoot: root, addon: resolve(root), helpers };
}

/**
 * Why the addon did not load, and what to do. Nothing is built at install time (the package has no install script,
 * so package managers that hold back install scripts change nothing): a missing binary is said so here, at first use.
 */
function loadFailure(root: string, arch: string, error: Error): string {
  const prebuilds = join(root, 'prebuilds', `win32-${arch}`);
  const build = join(root, 'build', 'Release');
  const hasBinary = [prebuilds, build].some(
    (dir) => existsSync(dir) && readdirSync(dir).some((file) => file.endsWith('.node')),
  );
  if (!hasBinary) {
    return (
      `windows-sessions has no native addon for win32-${arch}: there is no ${prebuilds} and no ${build}. ` +
      'Releases ship prebuilt binaries for win32-x64, win32-arm64 and win32-ia32; if yours is missing (a bundle ' +
      'that left prebuilds/ behind, say), copy it back, or build one from source with Visual Studio Build Tools ' +
      `(C++ workload) and Python 3: cd "${root}" && ${BUILD_FROM_SOURCE}`
    );
  }
  return (
    `windows-sessions could not load its native addon from ${prebuilds} or ${build}: ${error.message}. ` +
    'Reinstall the package, or build it from source: ' +
    `cd "${root}" && ${BUILD_FROM_SOURCE}`
  );
}

/**
 * The addon loaded but the program hosting it lacks Node-API functions it needs (native/mingw/host_imports.cc): its
 * own Error names them, or, where the host lacks even napi_throw_error, its DLL failed to initialise and left their
 * names in WINDOWS_SESSIONS_MISSING_NODE_API. No reinstall helps; another host does.
 */
function hostFailure(error: Error): string | undefined {
  const missing = process.env.WINDOWS_SESSIONS_MISSING_NODE_API;
  delete process.env.WINDOWS_SESSIONS_MISSING_NODE_API;
  const reason =
    (error as Error & { code?: unknown }).code === 'ERR_WINDOWS_SESSIONS_HOST_NODE_API'
      ? error.message
      : missing
        ? `windows-sessions needs Node-API version 8, and this program lacks ${missing} (${error.message.trim()})`
        : undefined;
  if (reason === undefined) return undefined;
  return (
    `${reason}, so it cannot run in ${process.execPath}. ` +
    'Run it in a host with Node-API version 8: Node.js 18 or later, or an Electron or NW.js built on one.'
  );
}

/**
 * The package root holds package.json, prebuilds/ and native/ (with binding.gyp); the built JS lives in dist/ below it.
 * Found only
 * when the addon is loaded, never at import: a bundler's CommonJS output of the ES module build has no
 * `import.meta.url`, and must still load. In a bundle it is the folder above the bundle's (see README, "Bundling").
 */
function packageRoot(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  return dirname(here);
}
