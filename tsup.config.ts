import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'lib/index.ts', mock: 'lib/mock/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // One shared chunk per format, so WtsError and the backend slot are the same objects for both entry points.
  splitting: true,
  shims: true,
  clean: true,
  target: 'node18',
  outDir: 'dist',
});
