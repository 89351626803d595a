// Registry sources against a real registry on 127.0.0.1 (Debian's docker-registry), fronted where
// needed by a token proxy for the bearer flow and injected faults.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanImage } from '../../engine/scan-image.ts';
import { ensureHostFixture, HOST_FIXTURE_TOOLS, hostFixture } from '../../testing/host-fixture.ts';
import { push, startRegistry, type LocalRegistry } from '../../testing/local-registry.ts';
import { startTokenProxy } from '../../testing/token-proxy.ts';
import { missingTools } from '../../testing/tools.ts';
import { writeMultiPlatformLayout } from '../../testing/build-image.ts';
import { AuthRequiredError, ImageIntegrityError, ImageNotFoundError, RegistryUnreachableError } from '#shared/registry/image-errors.ts';
import { openImage } from '../open-image.ts';
import { parsePlatform } from '../platform.ts';

const skip = missingTools(...HOST_FIXTURE_TOOLS, 'docker-registry', 'htpasswd');
const creds = { username: 'scanner', password: 's3cret-pass' };
const fast = { attempts: 4, backoffMs: 5 };

const inventory = async (source: string, options: Parameters<typeof openImage>[1] = {}): Promise<string[]> =>
  (await scanImage(await openImage(source, { insecure: true, ...options }))).packages.map((p) => `${p.purl} ${p.location} ${p.layerIndex}`).sort();

describe.skipIf(skip)(`registry sources${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let open: LocalRegistry;
  let secured: LocalRegistry;
  let expected: string[];

  beforeAll(async () => {
    ensureHostFixture();
    [open, secured] = await Promise.all([startRegistry(), startRegistry({ auth: creds })]);
    push(`oci:${hostFixture.oci}:app`, open.host, 'example/app:latest');
    push(`oci:${hostFixture.oci}:app`, open.host, 'example/app:v2s2', ['--format', 'v2s2']);
    push(`oci:${hostFixture.oci}:app`, secured.host, 'example/app:latest', [], creds);
    const dir = mkdtempSync(join(tmpdir(), 'hg-multi-'));
    const release = (arch: string) => ({ layers: [[{ name: 'etc/os-release', content: `ID=alpine\nVERSION_ID=3.20.${arch === 'amd64' ? 1 : 2}\n` }]] });
    push(await writeMultiPlatformLayout(dir, { 'linux/amd64': release('amd64'), 'linux/arm64/v8': release('arm64') }), open.host, 'example/multi:1', ['--all']);
    expected = await inventory(`oci:${hostFixture.oci}:app`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([open?.stop(), secured?.stop()]);
  });

  it('pulls anonymously (OCI and Docker schema 2 manifests) with the same inventory as the OCI layout', async () => {
    expect(await inventory(`${open.host}/example/app:latest`)).toEqual(expected);
    expect(await inventory(`${open.host}/example/app:v2s2`)).toEqual(expected);
  });

  it('uses Basic auth, and says so when credentials are missing or wrong', async () => {
    await expect(openImage(`${secured.host}/example/app:latest`, { insecure: true })).rejects.toThrow(AuthRequiredError);
    await expect(openImage(`${secured.host}/example/app:latest`, { insecure: true, credentials: { ...creds, password: 'nope' } })).rejects.toThrow(
      /credentials rejected/,
    );
    expect(await inventory(`${secured.host}/example/app:latest`, { credentials: creds })).toEqual(expected);
  });

  it('follows the bearer-token challenge, anonymously and with credentials, and always sends Accept', async () => {
    const anonymous = await startTokenProxy({ upstream: open.host });
    const authed = await startTokenProxy({ upstream: open.host, credentials: creds });
    try {
      expect(await inventory(`${anonymous.host}/example/app:latest`)).toEqual(expected);
      expect(
        anonymous.requests.filter((r) => r.path.includes('/manifests/')).every((r) => r.accept?.includes('application/vnd.oci.image.manifest.v1+json')),
      ).toBe(true);
      await expect(openImage(`${authed.host}/example/app:latest`, { insecure: true })).rejects.toThrow(AuthRequiredError);
      expect(await inventory(`${authed.host}/example/app:latest`, { credentials: creds })).toEqual(expected);
    } finally {
      await Promise.all([anonymous.stop(), authed.stop()]);
    }
  });

  it('retries 429 and 5xx with backoff, and gives up with a clear error', async () => {
    const flaky = await startTokenProxy({ upstream: open.host, failures: [503, 429, 502] });
    const broken = await startTokenProxy({ upstream: open.host, failures: [503, 503, 503, 503, 503] });
    try {
      expect(await inventory(`${flaky.host}/example/app:latest`, { retry: fast })).toEqual(expected);
      await expect(openImage(`${broken.host}/example/app:latest`, { insecure: true, retry: fast })).rejects.toThrow(RegistryUnreachableError);
    } finally {
      await Promise.all([flaky.stop(), broken.stop()]);
    }
  });

  it('refuses blobs whose bytes do not match their digest', async () => {
    const corrupt = await startTokenProxy({ upstream: open.host, corruptBlobs: true });
    try {
      await expect(inventory(`${corrupt.host}/example/app:latest`)).rejects.toThrow(ImageIntegrityError);
    } finally {
      await corrupt.stop();
    }
  });

  it('picks the platform from an index (linux/amd64 by default)', async () => {
    const os = async (platform?: string) =>
      (await scanImage(await openImage(`${open.host}/example/multi:1`, { insecure: true, ...(platform ? { platform: parsePlatform(platform) } : {}) }))).os
        ?.versionId;
    expect(await os()).toBe('3.20.1');
    expect(await os('linux/arm64')).toBe('3.20.2');
    expect(await os('linux/arm64/v8')).toBe('3.20.2');
    await expect(os('linux/s390x')).rejects.toThrow(/no image for platform linux\/s390x \(index offers: linux\/amd64, linux\/arm64\/v8\)/);
  });

  it('reports missing images and unreachable registries in one line', async () => {
    await expect(openImage(`${open.host}/example/nothing:1`, { insecure: true })).rejects.toThrow(/tag "1" not found in .*example\/nothing/);
    await expect(openImage(`${open.host}/example/app:nosuchtag`, { insecure: true })).rejects.toThrow(/tag "nosuchtag" not found in .*example\/app/);
    await expect(openImage(`${open.host}/example/app:nosuchtag`, { insecure: true })).rejects.toThrow(ImageNotFoundError);
    await expect(openImage('127.0.0.1:1/example/app:1', { insecure: true, retry: fast })).rejects.toThrow(/cannot reach/);
  });
});
