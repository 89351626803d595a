// The relative names a user types, resolved against the working directory as the CLI does
// (scan-command.test.ts covers each kind of file through the real CLI).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseBarePath } from './bare-path-hint.ts';

describe('refuseBarePath', () => {
  const home = process.cwd();
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-bare-path-'));
    mkdirSync(join(dir, 'alpine'));
    process.chdir(dir);
  });
  afterAll(() => process.chdir(home));

  it('says how to reach both when a folder here shares its name with a registry image', async () => {
    await expect(refuseBarePath('alpine')).rejects.toThrow(
      'alpine is a directory on disk, not a registry reference: it is no OCI image layout (no oci-layout file), which would be scanned as oci:alpine; for the registry image, docker://alpine',
    );
    await expect(refuseBarePath('./alpine')).rejects.toThrow(/^\.\/alpine is a directory on disk, not a registry reference: [^;]*oci:\.\/alpine$/);
  });

  it('leaves sources with a transport, and names of nothing on disk, to be read as they say', async () => {
    for (const source of ['docker://alpine', 'oci:alpine', 'debian:12', 'ghcr.io/acme/api:1.4.7'])
      await expect(refuseBarePath(source)).resolves.toBeUndefined();
  });
});
