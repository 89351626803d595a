// Hostile images for tests and `npm run bench:hostile`, built in-process as real tar and gzip
// streams: long PAX paths (tar-stream writes a PAX header for every name ustar cannot hold), a huge
// dpkg status, and a gzip bomb made of concatenated gzip members (each 64 MiB of zeros compressed
// once), so an 8 GiB layer costs 8 MB to write and nothing to hold.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { TestEntry } from './build-image.ts';

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface LayerBlob {
  blob: Buffer;
  /** sha256 of the uncompressed tar, when it was seen. */
  diffId?: string;
}

/** A gzip tar layer written entry by entry: only the compressed bytes are held. */
export async function gzippedLayer(entries: Iterable<TestEntry>): Promise<LayerBlob> {
  const tar = pack();
  const diff = createHash('sha256');
  const chunks: Buffer[] = [];
  const done = pipeline(
    tar,
    new Transform({ transform: (chunk: Buffer, _encoding, next) => next(null, diff.update(chunk) && chunk) }),
    createGzip({ level: 1 }),
    new Writable({ write: (chunk: Buffer, _encoding, next) => next(void chunks.push(chunk)) }),
  );
  for (const entry of entries) {
    const content = entry.content === undefined ? Buffer.alloc(0) : Buffer.from(entry.content);
    await new Promise<void>((ok, fail) =>
      tar.entry(
        {
          name: entry.name,
          type: entry.type ?? 'file',
          mode: entry.mode ?? 0o644,
          size: content.length,
          ...(entry.linkname ? { linkname: entry.linkname } : {}),
        },
        content,
        (error) => (error ? fail(error) : ok()),
      ),
    );
  }
  tar.finalize();
  await done;
  return { blob: Buffer.concat(chunks), diffId: `sha256:${diff.digest('hex')}` };
}

/** `count` empty files whose paths are each about `pathLength` characters long. */
export function* longPathEntries(count: number, pathLength: number): Generator<TestEntry> {
  for (let i = 0; i < count; i++) yield { name: `${i}/${'x'.repeat(pathLength - String(i).length - 1)}`, content: '' };
}

/**
 * `count` files at `depth` directories deep (about 2 × depth characters, many segments), and a
 * second layer of whiteouts over every other file and one opaque directory: the shape that made
 * applying whiteouts quadratic in a path's length.
 */
export function deepPathLayers(count: number, depth: number): [TestEntry[], TestEntry[]] {
  const dir = 'd/'.repeat(depth);
  const files = Array.from({ length: count }, (_, i): TestEntry => ({ name: `${dir}${i % 2 ? 'odd' : 'even'}/${i}`, content: '' }));
  const whiteouts = Array.from({ length: count / 2 }, (_, i): TestEntry => ({ name: `${dir}even/.wh.${2 * i}`, content: '' }));
  return [files, [...whiteouts, { name: `${dir}odd/.wh..wh..opq`, content: '' }, { name: `${dir}odd/new`, content: '' }]];
}

/** A dpkg status database listing `count` installed packages. */
export function dpkgStatus(count: number, name = (i: number) => `pkg${i}`): string {
  const paragraphs: string[] = [];
  for (let i = 0; i < count; i++) paragraphs.push(`Package: ${name(i)}\nStatus: install ok installed\nVersion: 1.${i}\nArchitecture: amd64\n`);
  return paragraphs.join('\n');
}

/** A ustar header block; sizes of 8 GiB and more in GNU base-256, as GNU tar writes them. */
function tarHeader(name: string, size: number, type = '0'): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  if (size < 8 * 1024 ** 3) block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  else {
    block[124] = 0x80;
    for (let i = 135, rest = size; i > 124; i--, rest = Math.floor(rest / 256)) block[i] = rest % 256;
  }
  block.write('00000000000\0', 136);
  block[156] = type.charCodeAt(0);
  block.write('ustar\x0000', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const padded = (body: Buffer): Buffer => Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);

/** An uncompressed tar of one empty file named through a GNU long-name record, as GNU tar writes them. */
export function gnuLongNameTar(name: string): Buffer {
  const body = Buffer.from(`${name}\0`);
  return Buffer.concat([tarHeader('././@LongLink', body.length, 'L'), padded(body), tarHeader(name.slice(0, 99), 0), Buffer.alloc(1024)]);
}

const ZEROS_MEMBER_BYTES = 64 * 1024 ** 2;

/** A gzip layer holding one file of `bytes` zeros (a multiple of 64 MiB): gzip members, concatenated. */
export function gzipBomb(bytes: number): LayerBlob {
  const zeros = gzipSync(Buffer.alloc(ZEROS_MEMBER_BYTES), { level: 9 });
  const members = [gzipSync(tarHeader('zeros', bytes))];
  for (let written = 0; written < bytes; written += ZEROS_MEMBER_BYTES) members.push(zeros);
  members.push(gzipSync(Buffer.alloc(1024)));
  return { blob: Buffer.concat(members) };
}

/** An OCI layout at `dir` holding one image of these layers, tagged `tag`; returns the `oci:` source. */
export function writeLayoutOfLayers(dir: string, layers: readonly LayerBlob[], tag = 'hostile'): string {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (bytes: Buffer): string => {
    const digest = sha256(bytes);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return digest;
  };
  // A diffID the bomb's 8 GiB were never hashed for is left as the blob's own digest: the engine
  // checks diffIDs only with verifyDiffIds, and the compressed digest fixes the bytes anyway.
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId ?? sha256(l.blob)) },
      history: layers.map((_, i) => ({ created_by: `hostile layer ${i}` })),
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: put(l.blob), size: l.blob.length })),
    }),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: put(manifest),
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return `oci:${dir}:${tag}`;
}
