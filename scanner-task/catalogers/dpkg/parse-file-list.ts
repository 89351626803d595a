// var/lib/dpkg/info/<package>[:arch].list: every path a package installed. Only the paths other
// catalogers report packages at are kept (owned-metadata.ts).
import type { OwnedFiles } from '../cataloger.ts';
import { isOwnedMetadata, METADATA_MARKERS } from '../owned-metadata.ts';

export function parseFileList(path: string, text: string): OwnedFiles {
  const file = path.slice(path.lastIndexOf('/') + 1, -'.list'.length);
  const [name, arch] = file.split(':');
  const owner = { type: 'deb' as const, name: name!, ...(arch ? { arch } : {}) };
  // Most of a Debian image's ~1,000 lists name none of these: skip them without splitting into lines.
  if (!METADATA_MARKERS.some((marker) => text.includes(marker))) return { owner, paths: [] };
  const paths: string[] = [];
  for (const line of text.split('\n')) if (isOwnedMetadata(line)) paths.push(line.replace(/^\/+/, ''));
  return { owner, paths };
}
