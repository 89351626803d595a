import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION } from '#shared/matching/snapshot-format.ts';
import { harborguard } from '../testing/run-cli.ts';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('harborguard --version', () => {
  it.each(['--version', '-V'])('%s prints the version and the snapshot format it reads, exit 0', async (flag) => {
    const result = await harborguard([flag]);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe(`harborguard ${manifest.version} (advisory snapshot format ${FORMAT_VERSION})\n`);
  });
});
