// `harborguard scan ./image.tar`: a file or directory named without a transport would be taken as a
// registry reference (and fail as an invalid one, or pull something else from Docker Hub). Refused
// instead, in one line naming the transport that fits what is there.
// Only the CLI asks: it runs on its user's machine, where the path is theirs. The Fargate task never
// looks at its own disk for a name a user submitted (local sources pass task/local-source-policy.ts).
import { stat } from 'node:fs/promises';
import { METADATA_LIMIT } from '../image/blob-store.ts';
import { namesTransport, parseImageSource } from '#shared/image-reference/image-source.ts';
import { TarFileStore } from '../image/tar-file-store.ts';

/** What a file holds, by the members each archive kind is read by; undefined when it is not a tar. */
async function archiveMembers(file: string): Promise<{ manifestJson: boolean; ociLayout: boolean } | undefined> {
  const store = await TarFileStore.open(file).catch(() => undefined);
  if (!store) return undefined;
  try {
    const has = async (member: string) => (await store.readSmall(member, METADATA_LIMIT).catch(() => undefined)) !== undefined;
    return { manifestJson: await has('manifest.json'), ociLayout: await has('oci-layout') };
  } finally {
    await store.close();
  }
}

async function suggestion(path: string, isDirectory: boolean): Promise<string> {
  if (isDirectory) {
    const layout = await stat(`${path}/oci-layout`).then(
      (s) => s.isFile(),
      () => false,
    );
    return layout ? `scan it as oci:${path}` : `it is no OCI image layout (no oci-layout file), which would be scanned as oci:${path}`;
  }
  const members = await archiveMembers(path);
  // Docker >= 25 writes both manifest.json and oci-layout: docker-archive: reads what `docker save` meant.
  if (members?.manifestJson) return `scan it as docker-archive:${path}`;
  if (members?.ociLayout) return `scan it as oci-archive:${path}`;
  return `it is no image archive (no manifest.json or oci-layout), which would be scanned as docker-archive:${path} (docker save) or oci-archive:${path}`;
}

function isRegistryReference(source: string): boolean {
  try {
    return parseImageSource(source).kind === 'registry';
  } catch {
    return false;
  }
}

/** Throws the hint when `source` has no transport and names something on disk. */
export async function refuseBarePath(source: string): Promise<void> {
  if (namesTransport(source)) return;
  const found = await stat(source).catch(() => undefined);
  if (!found) return;
  // `alpine` may be a folder in the working directory and an image on Docker Hub: say how to reach either.
  const registry = isRegistryReference(source) ? `; for the registry image, docker://${source}` : '';
  throw new Error(
    `${source} is a ${found.isDirectory() ? 'directory' : 'file'} on disk, not a registry reference: ${await suggestion(source, found.isDirectory())}${registry}`,
  );
}
