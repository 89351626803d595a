import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageSourceError } from '#shared/registry/image-errors.ts';
import { permittedSource } from './local-source-policy.ts';

describe('permittedSource (the task enforces its own local-sources folder)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'hg-task-images-'));
  const realFolder = realpathSync(folder);
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

  describe.each([
    { kind: 'oci', make: (path: string) => mkdirSync(path) },
    { kind: 'oci-archive', make: (path: string) => writeFileSync(path, '') },
    { kind: 'docker-archive', make: (path: string) => writeFileSync(path, '') },
  ])('$kind: sources', ({ kind, make }) => {
    const outside = mkdtempSync(join(tmpdir(), 'hg-task-outside-'));
    make(join(outside, 'image'));
    make(join(folder, `${kind}-image`));
    symlinkSync(join(outside, 'image'), join(folder, `${kind}-out`));
    symlinkSync(join(folder, `${kind}-image`), join(folder, `${kind}-in`));

    it('refuses a symlink in the folder that leads out of it', async () => {
      await expect(permittedSource(`${kind}:${join(folder, `${kind}-out`)}`, folder)).rejects.toThrow(/is outside the local-sources folder/);
      await expect(permittedSource(`${kind}:${kind}-out`, folder)).rejects.toThrow(/is outside the local-sources folder/);
    });

    it('refuses a path that leaves the folder through ..', async () => {
      await expect(permittedSource(`${kind}:${folder}/../${outside.split('/').pop()}/image`, folder)).rejects.toThrow(/is outside the local-sources folder/);
      await expect(permittedSource(`${kind}:../../../../../..${join(outside, 'image')}`, folder)).rejects.toThrow(/is outside the local-sources folder/);
    });

    it('opens a symlink that stays inside the folder by its real path', async () => {
      expect(await permittedSource(`${kind}:${kind}-in`, folder)).toBe(`${kind}:${join(realFolder, `${kind}-image`)}`);
    });
  });
});
