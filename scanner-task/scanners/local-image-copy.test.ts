// The local copy against a real registry (Debian's docker-registry) behind a token service that
// wants credentials (the bearer challenge flow, as Docker Hub): the engine reads
// the archive back as docker-archive:<file> with the same layers and packages as the registry
// image (it is the oracle for the format), skopeo accepts it, and a lying registry or an image
// above the size limit fails with a clear error and leaves nothing behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanImage } from '../engine/scan-image.ts';
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';
import { openImage } from '../image/open-image.ts';
import { ImageTooLargeError } from '../image/write-docker-archive.ts';
import { writeOciLayout, type TestEntry } from '../testing/build-image.ts';
import { push, startRegistry, type LocalRegistry } from '../testing/local-registry.ts';
import { startTokenProxy, type TokenProxy } from '../testing/token-proxy.ts';
import { missingTools } from '../testing/tools.ts';
import { LocalImageCopy } from './local-image-copy.ts';

const skip = missingTools('docker-registry', 'skopeo');
const creds = { username: 'copier', password: 'c0py-pass' };
const MiB = 1024 * 1024;

const base: TestEntry[] = [
  { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
  {
    name: 'var/lib/dpkg/status',
    content:
      'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n\nPackage: tzdata\nStatus: install ok installed\nVersion: 2024a-0+deb12u1\nArchitecture: all\n',
  },
  { name: 'tmp/cache.bin', content: Buffer.alloc(64 * 1024, 7) },
];
const app: TestEntry[] = [
  { name: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15' }) },
  { name: 'tmp/.wh.cache.bin', content: '' },
];

/** HarborGuard's files under `dir`, relative to it (other tools keep caches in TMPDIR too). */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .filter((path) => path.startsWith('hg-'));

/** What the engine saw: per layer its diff_id, entries and whiteouts; packages with their place. */
async function engineView(source: string, options: Parameters<typeof openImage>[1] = {}) {
  const scan = await scanImage(await openImage(source, options));
  return {
    layers: scan.layers.map((l) => ({ diffId: l.diffId, entries: [...l.entries.keys()].sort(), whiteouts: l.whiteouts })),
    packages: scan.packages.map((p) => `${p.purl} ${p.location} ${p.layerIndex}`).sort(),
  };
}

describe.skipIf(skip)(`local docker-archive copy of a registry image${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let registry: LocalRegistry;
  let secured: TokenProxy;
  let work: string;
  let uncompressedLayer: string;
  const image = (tag: string): string => `${secured.host}/example/app:${tag}`;
  const copyOf = (source: string, maxBytes = 64 * MiB) => new LocalImageCopy(source, { insecure: true, credentials: creds, maxBytes });
  // The task's scratch directory: the copy goes under TMPDIR, and nothing of it stays there.
  let scratch: string;
  const useScratch = (name: string): void => {
    scratch = join(work, 'scratch', name);
    mkdirSync(scratch, { recursive: true });
    vi.stubEnv('TMPDIR', scratch);
  };
  afterEach(() => void vi.unstubAllEnvs());

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hg-copy-test-'));
    registry = await startRegistry();
    secured = await startTokenProxy({ upstream: registry.host, credentials: creds });
    // The base layer twice: a repeated layer is stored once and listed twice, as `docker save` does.
    push(await writeOciLayout(join(work, 'gzip'), { layers: [base, app, base] }), registry.host, 'example/app:gzip');
    push(await writeOciLayout(join(work, 'plain'), { layers: [base], compression: 'none' }), registry.host, 'example/app:plain');
    // A config whose diff_id does not describe its layer: the registry serves it, the copy must not.
    push(
      await writeOciLayout(join(work, 'lying'), { layers: [base], config: { rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } } }),
      registry.host,
      'example/app:lying',
    );
    uncompressedLayer = (await openImage(image('plain'), { insecure: true, credentials: creds })).layers[0]!.descriptor.digest;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([secured?.stop(), registry?.stop()]);
    await rm(work, { recursive: true, force: true });
  });

  it('writes a docker-archive the engine reads back as the registry image, and skopeo accepts', async () => {
    useScratch('ok');
    const copy = copyOf(image('gzip'));
    const file = await copy.path();
    expect(await copy.path()).toBe(file);
    expect(filesUnder(scratch)).toEqual([file.slice(scratch.length + 1)]);
    const fromRegistry = await engineView(image('gzip'), { insecure: true, credentials: creds });
    // The copy asked the token service with the credentials, as the engine did.
    expect(
      secured.requests.some((r) => r.path === '/token' && r.authorization === `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`),
    ).toBe(true);
    expect(fromRegistry.packages).toHaveLength(3);
    expect(await engineView(`docker-archive:${file}`)).toEqual(fromRegistry);
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${file}`], { encoding: 'utf8' })) as {
      Layers: string[];
      RepoTags: string[];
    };
    expect(inspected.Layers).toEqual(fromRegistry.layers.map((l) => l.diffId));
    await copy.remove();
    expect(existsSync(dirname(file))).toBe(false);
    expect(filesUnder(scratch)).toEqual([]);
  });

  it('refuses a layer whose bytes do not match its digest, or its diff_id, and leaves no file', async () => {
    const lying = await startTokenProxy({ upstream: registry.host, credentials: creds, corruptBlobs: [uncompressedLayer] });
    try {
      useScratch('lying');
      const corrupt = copyOf(`${lying.host}/example/app:plain`);
      await expect(corrupt.path()).rejects.toThrow(ImageIntegrityError);
      await expect(corrupt.path()).rejects.toThrow(/^layer 1 \(sha256:[a-f0-9]{64}\) digest mismatch: expected sha256:[a-f0-9]{64}, got sha256:/);
      expect(filesUnder(scratch)).toEqual([]);
      await corrupt.remove();
    } finally {
      await lying.stop();
    }
    await expect(copyOf(image('lying')).path()).rejects.toThrow(/^layer 1 \(sha256:[a-f0-9]{64}\) \(uncompressed\) digest mismatch: expected sha256:0{64}/);
  });

  it('stops at the size limit with a clear error', async () => {
    useScratch('limit');
    const copy = copyOf(image('gzip'), 32 * 1024);
    await expect(copy.path()).rejects.toThrow(ImageTooLargeError);
    await expect(copy.path()).rejects.toThrow('the image is larger than the 32768 bytes allowed for a local copy');
    expect(filesUnder(scratch)).toEqual([]);
    await copy.remove();
  });
});
