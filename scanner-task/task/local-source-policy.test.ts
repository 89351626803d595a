import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageSourceError } from '../image/image-errors.ts';
import { permittedSource } from './local-source-policy.ts';

describe('permittedSource (the task enforces its own local-sources folder)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'hg-task-images-'));
  mkdirSync(join(folder, 'app'));

  it('passes registry references through', async () => {
    expect(await permittedSource('127.0.0.1:5000/example/app:1.0', undefined)).toBe('127.0.0.1:5000/example/app:1.0');
  });

  it('refuses every local source when the runtime has no folder (as in AWS)', async () => {
    await expect(permittedSource('oci:/etc', undefined)).rejects.toThrow(ImageSourceError);
    await expect(permittedSource(`oci:${join(folder, 'app')}`, undefined)).rejects.toThrow(/no local-sources folder/);
  });

  it('opens a source inside its folder by real path, and refuses one outside it', async () => {
    expect(await permittedSource(`oci:${folder}/./app:v2`, folder)).toMatch(/^oci:\/.*\/app:v2$/);
    await expect(permittedSource('docker-archive:/proc/self/environ', folder)).rejects.toThrow(/outside the local-sources folder/);
    await expect(permittedSource(`oci:${folder}/../`, folder)).rejects.toThrow(ImageSourceError);
  });
});
