// RPM databases: sqlite (rpmdb.sqlite) and BerkeleyDB (Packages), with each package's language
// metadata files (so the Python a package installed is matched through it). Not covered: SUSE's ndb format
// (Packages.db), which no tool here can produce to test against.
import type { Cataloger, OwnedFiles } from '../cataloger.ts';
import { rpmPackage, rpmPurl } from './package.ts';
import { bdbHashValues } from './parse-bdb.ts';
import { parseRpmHeader } from './parse-header.ts';
import { sqliteHeaders } from './parse-sqlite.ts';

const DIRS = ['var/lib/rpm/', 'usr/lib/sysimage/rpm/'];

export const rpmCataloger: Cataloger = {
  name: 'rpm',
  packageTypes: ['rpm'],
  version: 2,
  maxBytes: 512 * 1024 * 1024,
  required: ({ path }) => DIRS.some((d) => path === `${d}rpmdb.sqlite` || path === `${d}Packages`),
  parse: async ({ path, bytes }) => {
    const blobs = path.endsWith('.sqlite') ? await sqliteHeaders(bytes) : bdbHashValues(bytes);
    const packages = [];
    const owned: OwnedFiles[] = [];
    for (const blob of blobs) {
      const record = parseRpmHeader(blob);
      if (!record) continue;
      packages.push(rpmPackage(record));
      if (record.metadataFiles)
        owned.push({ owner: { type: 'rpm', name: record.name, ...(record.arch ? { arch: record.arch } : {}) }, paths: record.metadataFiles });
    }
    return { packages, owned };
  },
  complete: (draft, os) => ({ ...draft, purl: rpmPurl(draft, os) }),
};
