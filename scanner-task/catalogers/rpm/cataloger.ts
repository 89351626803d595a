// RPM databases: sqlite (rpmdb.sqlite) and BerkeleyDB (Packages). Not covered: SUSE's ndb format
// (Packages.db), which no tool here can produce to test against.
import type { Cataloger } from '../cataloger.ts';
import { rpmPackage, rpmPurl } from './package.ts';
import { bdbHashValues } from './parse-bdb.ts';
import { parseRpmHeader } from './parse-header.ts';
import { sqliteHeaders } from './parse-sqlite.ts';

const DIRS = ['var/lib/rpm/', 'usr/lib/sysimage/rpm/'];

export const rpmCataloger: Cataloger = {
  name: 'rpm',
  packageTypes: ['rpm'],
  version: 1,
  maxBytes: 512 * 1024 * 1024,
  required: ({ path }) => DIRS.some((d) => path === `${d}rpmdb.sqlite` || path === `${d}Packages`),
  parse: async ({ path, bytes }) => {
    const blobs = path.endsWith('.sqlite') ? await sqliteHeaders(bytes) : bdbHashValues(bytes);
    const packages = [];
    for (const blob of blobs) {
      const record = parseRpmHeader(blob);
      if (record) packages.push(rpmPackage(record));
    }
    return { packages };
  },
  complete: (draft, os) => ({ ...draft, purl: rpmPurl(draft, os) }),
};
