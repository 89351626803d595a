// Each rule on small in-process images: what makes it fire, and what keeps it quiet.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { complianceOf } from '#shared/compliance/compliance-grade.ts';
import { scanImage } from '../engine/scan-image.ts';
import { openImage } from '../image/open-image.ts';
import { writeOciLayout, type TestImage } from '../testing/build-image.ts';
import { runChecks } from './run-checks.ts';

async function check(image: TestImage) {
  const source = await writeOciLayout(mkdtempSync(join(tmpdir(), 'hg-rules-')), image, 'latest');
  const results = runChecks(await scanImage(await openImage(source)));
  return { levels: Object.fromEntries(results.map((r) => [r.id, r.level])), results, grade: complianceOf(results) };
}

describe('configuration checks', () => {
  it('passes a careful image', async () => {
    const { levels, grade } = await check({
      config: { config: { User: '10001:10001', Healthcheck: { Test: ['CMD', '/healthz'] }, Env: ['PATH=/usr/bin', 'DB_PASSWORD_FILE=/run/secrets/db'] } },
      history: [{ created_by: 'COPY app /app' }],
      layers: [[{ name: 'app/server', content: 'x', mode: 0o755 }]],
    });
    expect(
      Object.entries(levels)
        .filter(([id]) => id !== 'DKL-DI-0006')
        .every(([, level]) => level === 'PASS'),
    ).toBe(true);
    // Tagged latest: the one warning; 7 of the 8 scored (non-INFO) checks pass.
    expect(levels['DKL-DI-0006']).toBe('WARN');
    expect(grade).toEqual({ score: 87.5, grade: 'B' });
  });

  it('flags root, missing healthcheck, remote ADD, upgrades, sudo, setuid files and caches', async () => {
    const { levels, results, grade } = await check({
      config: { config: { User: '0' } },
      history: [
        { created_by: 'ADD --chown=1 https://example.com/tool.tgz /opt/' },
        { created_by: '/bin/sh -c apt-get update && apt-get -y dist-upgrade' },
        { created_by: '/bin/sh -c sudo make install', empty_layer: true },
      ],
      layers: [
        [
          { name: 'usr/bin/passwd', content: 'x', mode: 0o4755 },
          { name: 'usr/bin/wall', content: 'x', mode: 0o2755 },
        ],
        [
          { name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages', content: 'x'.repeat(100) },
          { name: 'root/.cache/pip/http/a', content: 'y' },
        ],
      ],
    });
    expect(levels).toMatchObject({
      'CIS-DI-0001': 'WARN',
      'CIS-DI-0006': 'WARN',
      'CIS-DI-0008': 'INFO',
      'CIS-DI-0009': 'WARN',
      'DKL-DI-0001': 'WARN',
      'DKL-DI-0003': 'WARN',
      'DKL-DI-0005': 'INFO',
      'CIS-DI-0010': 'PASS',
    });
    expect(results.find((r) => r.id === 'CIS-DI-0008')?.details).toEqual(['/usr/bin/passwd is setuid', '/usr/bin/wall is setgid']);
    expect(results.find((r) => r.id === 'DKL-DI-0005')?.details).toEqual(['apt package lists: 1 files, 100 bytes', 'pip cache: 1 files, 1 bytes']);
    expect(grade.grade).toBe('F');
  });
});
