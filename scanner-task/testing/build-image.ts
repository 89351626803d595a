// Test helper: writes small OCI image layouts in-process from entry lists, so unit and hostile-image
// tests need no external tool. Layers can be gzip, zstd (through the zstd CLI) or uncompressed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';

export interface TestEntry {
  name: string;
  type?: Header['type'];
  content?: string | Buffer;
  mode?: number;
  linkname?: string;
}

export type TestCompression = 'gzip' | 'zstd' | 'none';

export async function tarOf(entries: readonly TestEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const finished = new Promise<void>((ok, fail) => tar.on('end', () => ok()).on('error', fail));
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const content = entry.content === undefined ? undefined : Buffer.from(entry.content);
    await new Promise<void>((ok, fail) => {
      const header = {
        name: entry.name,
        type,
        mode: entry.mode ?? (type === 'directory' ? 0o755 : 0o644),
        ...(entry.linkname !== undefined ? { linkname: entry.linkname } : {}),
        ...(content ? { size: content.length } : {}),
      };
      tar.entry(header, content ?? Buffer.alloc(0), (error) => (error ? fail(error) : ok()));
    });
  }
  tar.finalize();
  await finished;
  return Buffer.concat(chunks);
}

export function compress(bytes: Buffer, compression: TestCompression): Buffer {
  if (compression === 'gzip') return gzipSync(bytes, { level: 1 });
  if (compression === 'zstd') return execFileSync('zstd', ['-q', '-c', '-1'], { input: bytes, maxBuffer: 1024 ** 3 });
  return bytes;
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const LAYER_MEDIA_TYPE: Record<TestCompression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

export interface TestImage {
  layers: TestEntry[][];
  compression?: TestCompression;
  config?: Record<string, unknown>;
  history?: Array<Record<string, unknown>>;
  /** Rewrites the manifest before it is written (to make it lie). */
  tamper?: (manifest: { layers: Array<{ digest: string; size: number; mediaType: string }> }) => void;
}

/** Writes an OCI layout at `dir` with the image tagged `tag`; returns the `oci:` source string. */
export async function writeOciLayout(dir: string, image: TestImage, tag = 'test'): Promise<string> {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const putBlob = (bytes: Buffer): string => {
    const digest = sha256(bytes);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return digest;
  };
  const compression = image.compression ?? 'gzip';
  const layers = [];
  const diffIds = [];
  for (const entries of image.layers) {
    const tar = await tarOf(entries);
    diffIds.push(sha256(tar));
    const blob = compress(tar, compression);
    layers.push({ mediaType: LAYER_MEDIA_TYPE[compression], digest: putBlob(blob), size: blob.length });
  }
  const config = {
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: image.history ?? image.layers.map((_, i) => ({ created_by: `layer ${i}` })),
    ...image.config,
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: putBlob(configBytes), size: configBytes.length },
    layers,
  };
  image.tamper?.(manifest);
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const index = {
    schemaVersion: 2,
    manifests: [
      { mediaType: manifest.mediaType, digest: putBlob(manifestBytes), size: manifestBytes.length, annotations: { 'org.opencontainers.image.ref.name': tag } },
    ],
  };
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  return `oci:${dir}:${tag}`;
}

/** An OCI layout whose tag names an image index with one image per platform ("os/arch[/variant]"). */
export async function writeMultiPlatformLayout(dir: string, images: Record<string, TestImage>, tag = 'multi'): Promise<string> {
  const manifests = [];
  for (const [platform, image] of Object.entries(images)) {
    const [os, architecture, variant] = platform.split('/') as [string, string, string?];
    await writeOciLayout(dir, { ...image, config: { ...image.config, os, architecture, ...(variant ? { variant } : {}) } }, platform.replace(/\//g, '-'));
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ mediaType: string; digest: string; size: number }> };
    const { mediaType, digest, size } = index.manifests[0]!;
    manifests.push({ mediaType, digest, size, platform: { os, architecture, ...(variant ? { variant } : {}) } });
  }
  const indexBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  const digest = sha256(indexBytes);
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), indexBytes);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.index.v1+json', digest, size: indexBytes.length, annotations: { 'org.opencontainers.image.ref.name': tag } },
      ],
    }),
  );
  return `oci:${dir}:${tag}`;
}

/** A directory tree on disk as layer entries (regular files, directories and symlinks). */
export function entriesFromDir(root: string, prefix = ''): TestEntry[] {
  const entries: TestEntry[] = [];
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const relative = prefix ? `${prefix}/${name}` : name;
    const stat = lstatSync(join(root, relative));
    if (stat.isDirectory()) entries.push({ name: `${relative}/`, type: 'directory', mode: stat.mode & 0o7777 }, ...entriesFromDir(root, relative));
    else if (stat.isSymbolicLink()) entries.push({ name: relative, type: 'symlink', linkname: readlinkSync(join(root, relative)) });
    else if (stat.isFile()) entries.push({ name: relative, content: readFileSync(join(root, relative)), mode: stat.mode & 0o7777 });
  }
  return entries;
}
