// A vitest file filter selects what it names: `npx vitest run cli` runs the CLI's suites, and neither cross-builds
// nor starts Wine. Checked against vitest's own selection (its node API, the same globbing and filtering as
// `vitest run <filter>`), for the suite names and for the global setups that decide what to prepare.
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVitest, type Vitest } from 'vitest/node';
import { selectsWineSuite } from '../native/wine/global-setup.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('suite names and vitest file filters', () => {
  let vitest: Vitest;
  beforeAll(async () => {
    vitest = await createVitest(
      'test',
      { watch: false, config: false, root: ROOT, include: ['test/**/*.test.ts'], globalSetup: [] },
      {},
      {},
    );
  });
  afterAll(() => vitest.close());

  /** The files `npx vitest run <filters…>` runs, relative to the root. */
  const selected = async (filters: string[]) =>
    (await vitest.globTestSpecifications(filters))
      .map((spec) => relative(ROOT, spec.moduleId).replaceAll('\\', '/'))
      .sort();

  it('`cli` selects the CLI suites (in process, on the mock), and no suite that needs Wine', async () => {
    const files = await selected(['cli']);
    expect(files).toEqual(expect.arrayContaining(['test/cli/cli.test.ts', 'test/property/cli.property.test.ts']));
    expect(files.filter((file) => file.startsWith('test/native/'))).toEqual([]);
  });

  it.each(['unit', 'package', 'readme', 'test/cli', 'test/unit/'])(
    '`%s` selects no suite that needs Wine',
    async (filter) => {
      const files = await selected([filter]);
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((file) => file.startsWith('test/native/'))).toEqual([]);
    },
  );

  it('the Wine setup prepares Wine exactly when vitest selects a suite of test/native', async () => {
    for (const filters of [
      [],
      ['cli'],
      ['unit'],
      ['package'],
      ['readme'],
      ['native'],
      ['test/native/'],
      ['wine-runtime'],
      ['test/native/command-line.test.ts'],
      [join(ROOT, 'test', 'native')],
      ['CLI'],
      ['unit', 'soak'],
      ['no-such-suite'],
    ]) {
      const needsWine = (await selected(filters)).some((file) => file.startsWith('test/native/'));
      expect(selectsWineSuite(ROOT, filters), filters.join(' ')).toBe(needsWine);
    }
  });
});
