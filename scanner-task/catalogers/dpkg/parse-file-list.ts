// var/lib/dpkg/info/<package>[:arch].list: every path a package installed. Only the paths other
// catalogers report packages at are kept, so a Debian image's lists cost little memory.
import { MAX_PATH_LENGTH } from '../../image/tar-walker.ts';
import type { OwnedFiles } from '../cataloger.ts';

/** Substrings every METADATA match contains. */
const MARKERS = ['-info', '/node_modules/', '.jar', '.war', '.ear'];
const METADATA = /\.(dist-info|egg-info)(\/(METADATA|PKG-INFO))?$|\/node_modules\/.+\/package\.json$|\.(jar|war|ear)$/;

export function parseFileList(path: string, text: string): OwnedFiles {
  const file = path.slice(path.lastIndexOf('/') + 1, -'.list'.length);
  const [name, arch] = file.split(':');
  const owner = { type: 'deb' as const, name: name!, ...(arch ? { arch } : {}) };
  // Most of a Debian image's ~1,000 lists name none of these: skip them without splitting into lines.
  if (!MARKERS.some((marker) => text.includes(marker))) return { owner, paths: [] };
  const paths: string[] = [];
  // Paths become map keys: one longer than PATH_MAX names no file any layer can hold.
  for (const line of text.split('\n')) if (line.length <= MAX_PATH_LENGTH && METADATA.test(line)) paths.push(line.replace(/^\/+/, ''));
  return { owner, paths };
}
