// `harborguard scan <image> --db <snapshot>` end to end, in-process: a two-layer Debian image
// with npm packages, the scenario fixtures as the database; findings land in the envelope
// and the table with the layer that introduced each package.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { scanCommand } from '../cli/scan-command.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import { buildSnapshot } from './build-snapshot.ts';

const testdata = new URL('./testdata/', import.meta.url).pathname;
const work = await mkdtemp(join(tmpdir(), 'hg-scan-db-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const status = (packages: Array<[string, string, string?]>): string =>
  packages
    .map(
      ([name, version, source]) =>
        `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n${source ? `Source: ${source}\n` : ''}Description: x\n`,
    )
    .join('\n');
const npm = (name: string, version: string) => ({ name: `app/node_modules/${name}/package.json`, content: JSON.stringify({ name, version, license: 'MIT' }) });

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out.stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((out.stderr += String(chunk)), true));
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  try {
    await scanCommand().exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
  return out;
}

describe('scan --db', async () => {
  const source = await writeOciLayout(join(work, 'oci'), {
    layers: [
      [
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
        {
          name: 'var/lib/dpkg/status',
          content: status([
            ['bash', '5.2.15-2+b13', 'bash (5.2.15-2)'],
            ['bsdutils', '1:2.38.1-5+b1', 'util-linux (2.38.1-5)'],
          ]),
        },
      ],
      [npm('lodash', '4.17.15'), npm('express', '4.17.1')],
    ],
  });
  const db = join(work, 'advisories.db');
  await buildSnapshot({ from: [join(testdata, 'scenarios', 'debian-source', 'osv'), join(testdata, 'scenarios', 'npm', 'osv')], output: db });

  it('puts findings with their layers into the envelope and the table', async () => {
    const { stdout } = await run([source, '--db', db, '--format', 'envelope']);
    const envelope = JSON.parse(stdout) as { vulnerabilities: Array<{ id: string; package: string; layerDigest?: string }>; layers: Array<{ digest: string }> };
    const [base, app] = envelope.layers.map((l) => l.digest);
    expect(envelope.vulnerabilities.map((v) => [v.id, v.package, v.layerDigest])).toEqual([
      ['CVE-2099-0003', 'bash', base],
      ['CVE-2099-0004', 'bash', base],
      ['CVE-2024-28085', 'bsdutils', base],
      ['CVE-2024-29041', 'express', app],
      ['CVE-2021-23337', 'lodash', app],
    ]);
    const table = (await run([source, '--db', db])).stdout;
    expect(table).toMatch(/Vulnerabilities \(5\)/);
    expect(table).toMatch(/HIGH\s+CVE-2021-23337\s+lodash\s+4\.17\.15\s+4\.17\.21\s+2/);
    const cyclonedx = JSON.parse((await run([source, '--db', db, '--format', 'cyclonedx'])).stdout) as { vulnerabilities: Array<{ id: string }> };
    expect(cyclonedx.vulnerabilities.map((v) => v.id).sort()).toEqual(['CVE-2021-23337', 'CVE-2024-28085', 'CVE-2024-29041', 'CVE-2099-0003', 'CVE-2099-0004']);
  });

  it('without a database, scans without vulnerabilities and says so', async () => {
    const { stdout, stderr } = await run([source, '--format', 'envelope'], { HARBORGUARD_DB: join(work, 'missing.db') });
    expect(JSON.parse(stdout).vulnerabilities).toEqual([]);
    expect(stderr).toMatch(/no advisory database at .*missing\.db.*reporting without vulnerabilities/);
  });

  it('takes the default location from HARBORGUARD_DB', async () => {
    const { stdout } = await run([source, '--format', 'envelope'], { HARBORGUARD_DB: db });
    expect(JSON.parse(stdout).vulnerabilities).toHaveLength(5);
  });
});
