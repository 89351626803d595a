// Docker >= 25 `docker save` output, which skopeo cannot write: an OCI layout (uncompressed layers,
// as Docker stores them) plus a legacy manifest.json whose paths point into blobs/sha256/.
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function writeDocker25Archive(layout: string, tag: string, file: string, repoTag: string): Promise<void> {
  const blob = (digest: string): Buffer => readFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations?: Record<string, string> }> };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag)!;
  const manifest = JSON.parse(blob(entry.digest).toString('utf8')) as { config: { digest: string; size: number }; layers: Array<{ digest: string }> };
  const files = new Map<string, Buffer>();
  const configBytes = blob(manifest.config.digest);
  files.set(`blobs/sha256/${manifest.config.digest.slice(7)}`, configBytes);
  const layers = manifest.layers.map((layer) => {
    const tar = gunzipSync(blob(layer.digest));
    const hex = sha256(tar);
    files.set(`blobs/sha256/${hex}`, tar);
    return { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${hex}`, size: tar.length };
  });
  const newManifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: manifest.config.digest, size: manifest.config.size },
      layers,
    }),
  );
  const manifestHex = sha256(newManifest);
  files.set(`blobs/sha256/${manifestHex}`, newManifest);
  files.set(
    'index.json',
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${manifestHex}`,
            size: newManifest.length,
            annotations: { 'io.containerd.image.name': `docker.io/${repoTag}`, 'org.opencontainers.image.ref.name': repoTag.split(':').pop()! },
          },
        ],
      }),
    ),
  );
  files.set(
    'manifest.json',
    Buffer.from(
      JSON.stringify([
        {
          Config: `blobs/sha256/${manifest.config.digest.slice(7)}`,
          RepoTags: [repoTag],
          Layers: layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
          LayerSources: Object.fromEntries(layers.map((l) => [l.digest, l])),
        },
      ]),
    ),
  );
  files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const tar = pack();
  const done = new Promise<void>((ok, fail) =>
    tar
      .pipe(createWriteStream(file))
      .on('finish', () => ok())
      .on('error', fail),
  );
  for (const [name, bytes] of files) tar.entry({ name, size: bytes.length }, bytes);
  tar.finalize();
  return done;
}
