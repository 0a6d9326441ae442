import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    entry: { index: 'lib/index.ts', mock: 'lib/mock/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // One shared chunk per format, so WtsError and the backend slot are the same objects for both entry points.
    splitting: true,
    // No shims: tsup's ESM shim computes __dirname from import.meta.url at import, which a bundle to CommonJS
    // turns into a crash on load. lib/native/load-addon.ts finds its folder itself, lazily.
    shims: false,
    // CommonJS has __dirname, so the import.meta.url branch never runs there; it must still parse.
    esbuildOptions(options, context) {
      if (context.format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
    },
    target: 'node18',
    outDir: 'dist',
  },
  {
    // The command line: CommonJS, one file, so `npx windows-sessions` starts without resolving ESM.
    entry: { cli: 'lib/cli/bin.ts' },
    format: ['cjs'],
    banner: { js: '#!/usr/bin/env node' },
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
    shims: true,
    target: 'node18',
    outDir: 'dist',
  },
  {
    // The Windows service's entry point (lib/service), run by the installed node.exe: CommonJS, one file.
    entry: { service: 'lib/service/service-main.ts' },
    format: ['cjs'],
    shims: true,
    target: 'node18',
    outDir: 'dist',
  },
]);
