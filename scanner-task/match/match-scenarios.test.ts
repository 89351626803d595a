// The hand-written scenarios in testdata/scenarios: each builds a snapshot from its OSV
// records, matches its inventory, and must produce exactly the expected findings.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import type { OsInfo, Package } from '#shared/packages/package.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { matchPackages } from '#shared/matching/match-packages.ts';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';

const testdata = new URL('./testdata/', import.meta.url).pathname;
const scenarios = (await readdir(join(testdata, 'scenarios'))).sort();
const work = await mkdtemp(join(tmpdir(), 'hg-match-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

describe('fixture records', () => {
  it('are valid OSV', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(await readJson<object>(join(testdata, 'osv.schema.json')));
    for (const scenario of scenarios) {
      const folder = join(testdata, 'scenarios', scenario, 'osv');
      for (const file of await readdir(folder)) {
        const valid = validate(await readJson(join(folder, file)));
        expect(valid ? [] : validate.errors, `${scenario}/${file}`).toEqual([]);
      }
    }
  });
});

describe.each(scenarios)('scenario %s', (scenario) => {
  it('produces exactly the expected findings', async () => {
    const folder = join(testdata, 'scenarios', scenario);
    const output = join(work, `${scenario}.db`);
    await buildSnapshot({ from: [join(folder, 'osv')], output, kev: join(testdata, 'kev.json'), epss: join(testdata, 'epss.csv') });
    const inventory = await readJson<{ os?: OsInfo; packages: Package[] }>(join(folder, 'inventory.json'));
    const expected = await readJson<Array<Record<string, unknown>>>(join(folder, 'expected.json'));
    const { vulnerabilities, warnings } = matchPackages(await loadSnapshot(output), inventory.packages, inventory.os);
    expect(warnings).toEqual([]);
    // Compare the fields each expectation names; the layer always comes from the package.
    const actual = vulnerabilities.map((v, i) => Object.fromEntries(Object.keys(expected[i] ?? {}).map((k) => [k, (v as Record<string, unknown>)[k]])));
    expect(actual).toEqual(expected);
    for (const v of vulnerabilities) {
      expect(v.layerDigest).toBe(inventory.packages.find((p) => p.name === v.package)?.layerDigest);
      if (v.id.startsWith('CVE-')) expect(v.cveId).toBe(v.id);
    }
  });
});
