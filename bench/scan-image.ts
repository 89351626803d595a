// Builds the benchmark image offline from this machine's files: ~190 MB uncompressed in 3 gzip
// layers (an OS layer with dpkg's database and binaries, a Python layer, an npm layer), written
// as an OCI layout and a docker-archive under .cache/bench-scan/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';

export const BENCH_DIR = resolve(import.meta.dirname, '..', '.cache', 'bench-scan-v3');
export const benchImage = { oci: join(BENCH_DIR, 'oci'), dockerArchive: join(BENCH_DIR, 'image-docker.tar'), tag: 'bench' };

interface HostFile {
  path: string;
  size: number;
  mode: number;
  link?: string;
}

/** Regular files and symlinks under `roots`, in a stable order, until `budget` bytes are taken. */
function collect(roots: string[], budget: number, accept: (path: string) => boolean = () => true): HostFile[] {
  const files: HostFile[] = [];
  let total = 0;
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (total >= budget) return;
      const path = join(dir, name);
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(path);
      else if (stat.isSymbolicLink()) files.push({ path, size: 0, mode: 0o777, link: execFileSync('readlink', [path], { encoding: 'utf8' }).trim() });
      else if (stat.isFile() && accept(path)) {
        files.push({ path, size: stat.size, mode: stat.mode & 0o7777 });
        total += stat.size;
      }
    }
  };
  for (const root of roots) {
    if (statSync(root, { throwIfNoEntry: false })?.isFile()) {
      const stat = statSync(root);
      files.push({ path: root, size: stat.size, mode: stat.mode & 0o7777 });
      total += stat.size;
    } else walk(root);
  }
  return files;
}

async function writeLayer(
  files: HostFile[],
  out: string,
  rename: (path: string) => string = (p) => p,
): Promise<{ digest: string; diffId: string; size: number }> {
  const tar = pack();
  const diff = createHash('sha256');
  const blob = createHash('sha256');
  let size = 0;
  const gzip = createGzip();
  tar.on('data', (chunk: unknown) => diff.update(chunk as Buffer));
  gzip.on('data', (chunk: Buffer) => {
    blob.update(chunk);
    size += chunk.length;
  });
  const written = pipeline(tar, gzip, createWriteStream(out));
  for (const file of files) {
    const name = rename(file.path).replace(/^\/+/, '');
    if (file.link !== undefined) {
      tar.entry({ name, type: 'symlink', linkname: file.link, mode: 0o777 });
      continue;
    }
    let body: Buffer;
    try {
      body = readFileSync(file.path);
    } catch {
      continue;
    }
    tar.entry({ name, size: body.length, mode: file.mode }, body);
  }
  tar.finalize();
  await written;
  return { digest: `sha256:${blob.digest('hex')}`, diffId: `sha256:${diff.digest('hex')}`, size };
}

/** Writes a JSON document as a blob of an OCI layout's blobs/sha256 folder; its descriptor's digest and size. */
function putJsonBlob(blobs: string, value: unknown): { digest: string; size: number } {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  writeFileSync(join(blobs, digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

export async function ensureBenchImage(): Promise<typeof benchImage> {
  if (existsSync(join(BENCH_DIR, 'done'))) return benchImage;
  rmSync(BENCH_DIR, { recursive: true, force: true });
  const blobs = join(benchImage.oci, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const repo = resolve(import.meta.dirname, '..');
  const layers = [
    {
      files: [
        ...collect(['/etc/os-release', '/usr/lib/os-release', '/etc/debian_version', '/var/lib/dpkg/status'], Infinity),
        ...collect(['/var/lib/dpkg/info'], Infinity, (p) => p.endsWith('.list')),
        // Ordinary-sized binaries only: one 100 MB executable (node) would be most of the image.
        ...collect(['/usr/bin', '/usr/sbin', '/usr/lib/x86_64-linux-gnu'], 96 * 1024 ** 2, (p) => statSync(p).size < 16 * 1024 ** 2),
      ],
      createdBy: 'debian base: dpkg database, binaries and libraries',
    },
    { files: collect(['/usr/lib/python3/dist-packages'], 34 * 1024 ** 2), createdBy: 'python3 packages' },
    {
      files: collect([join(repo, 'node_modules')], 44 * 1024 ** 2, (p) => !p.includes('/.cache/')),
      createdBy: 'npm install',
      rename: (p: string) => p.replace(repo, '/app'),
    },
  ];
  const descriptors = [];
  const diffIds = [];
  for (const [i, layer] of layers.entries()) {
    const tmp = join(BENCH_DIR, `layer-${i}.tmp`);
    const { digest, diffId, size } = await writeLayer(layer.files, tmp, layer.rename);
    renameSync(tmp, join(blobs, digest.slice(7)));
    descriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size });
    diffIds.push(diffId);
  }
  const put = (value: unknown) => putJsonBlob(blobs, value);
  const config = put({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['/bin/bash'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map((l) => ({ created: '2026-01-01T00:00:00Z', created_by: l.createdBy })),
  });
  const manifest = put({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: descriptors,
  });
  writeFileSync(join(benchImage.oci, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(benchImage.oci, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': benchImage.tag } },
      ],
    }),
  );
  execFileSync('skopeo', ['copy', '-q', `oci:${benchImage.oci}:${benchImage.tag}`, `docker-archive:${benchImage.dockerArchive}:bench/image:latest`]);
  writeFileSync(join(BENCH_DIR, 'done'), '');
  return benchImage;
}

/** Uncompressed and compressed bytes of the image's layers. */
export function imageSizes(): { compressed: number; uncompressed: number; layers: string[] } {
  const index = JSON.parse(readFileSync(join(benchImage.oci, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  const blob = (digest: string) => join(benchImage.oci, 'blobs', 'sha256', digest.slice(7));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { layers: Array<{ digest: string; size: number }> };
  const layers = manifest.layers.map((l) => blob(l.digest));
  let uncompressed = 0;
  for (const layer of layers) uncompressed += Number(execFileSync('sh', ['-c', `gzip -dc < '${layer}' | wc -c`], { encoding: 'utf8' }).trim());
  return { compressed: manifest.layers.reduce((s, l) => s + l.size, 0), uncompressed, layers };
}

/**
 * The benchmark image with one more layer on top, as a CI build of an application makes it: this
 * checkout's sources copied to /app, and a marker that makes each variant's top layer its own.
 * The lower layers are the benchmark image's blobs, linked, not copied. Returns the `oci:` source.
 */
export async function ensureAppVariant(marker: string): Promise<string> {
  const dir = join(BENCH_DIR, `app-${marker}`);
  const source = `oci:${dir}:${benchImage.tag}`;
  if (existsSync(join(dir, 'done'))) return source;
  await ensureBenchImage();
  rmSync(dir, { recursive: true, force: true });
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const baseBlobs = join(benchImage.oci, 'blobs', 'sha256');
  for (const name of readdirSync(baseBlobs)) linkSync(join(baseBlobs, name), join(blobs, name));
  const repo = resolve(import.meta.dirname, '..');
  writeFileSync(join(dir, 'marker'), marker);
  const files = [
    ...collect(
      ['functions', 'shared', 'scanner-task', 'infra'].map((folder) => join(repo, folder)),
      16 * 1024 ** 2,
    ),
    ...collect([join(dir, 'marker')], Infinity),
  ];
  const tmp = join(dir, 'layer.tmp');
  const layer = await writeLayer(files, tmp, (p) => (p.startsWith(repo) ? p.replace(repo, '/app') : '/app/BUILD'));
  renameSync(tmp, join(blobs, layer.digest.slice(7)));
  const blob = (digest: string) => join(blobs, digest.slice(7));
  const index = JSON.parse(readFileSync(join(benchImage.oci, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as {
    config: { digest: string };
    layers: Array<{ mediaType: string; digest: string; size: number }>;
  };
  const config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8')) as {
    rootfs: { diff_ids: string[] };
    history: Array<Record<string, string>>;
  };
  config.rootfs.diff_ids.push(layer.diffId);
  config.history.push({ created: '2026-01-02T00:00:00Z', created_by: 'COPY . /app' });
  const put = (value: unknown) => putJsonBlob(blobs, value);
  const configDescriptor = put(config);
  const top = put({
    ...manifest,
    config: { ...manifest.config, ...configDescriptor },
    layers: [...manifest.layers, { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size }],
  });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...top, annotations: { 'org.opencontainers.image.ref.name': benchImage.tag } }],
    }),
  );
  writeFileSync(join(dir, 'done'), '');
  return source;
}
