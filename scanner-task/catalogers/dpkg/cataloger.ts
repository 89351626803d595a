// Debian packages: var/lib/dpkg/status, distroless var/lib/dpkg/status.d/*, the info/*.list file
// lists that tell which language metadata belongs to which Debian package, and copyright files.
import type { PackageDraft } from '#shared/packages/package.ts';
import type { Cataloger } from '../cataloger.ts';
import { dpkgPackage, dpkgPurl } from './package.ts';
import { parseCopyright } from './parse-copyright.ts';
import { parseFileList } from './parse-file-list.ts';
import { eachDpkgRecord } from './parse-status.ts';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';
// usr/share/doc/<package>/copyright, exactly that depth.
const COPYRIGHT = /^usr\/share\/doc\/([^/]+)\/copyright$/;

export const dpkgCataloger: Cataloger = {
  name: 'dpkg',
  packageTypes: ['deb'],
  version: 2,
  maxBytes: 64 * 1024 * 1024,
  required: ({ path }) =>
    path === STATUS ||
    (path.startsWith(STATUS_D) && !path.endsWith('.md5sums') && path.indexOf('/', STATUS_D.length) === -1) ||
    (path.startsWith(INFO) && path.endsWith('.list')) ||
    (path.endsWith('/copyright') && COPYRIGHT.test(path)),
  parse: ({ path, bytes }) => {
    if (path.startsWith(INFO)) return { owned: [parseFileList(path, bytes.toString('utf8'))] };
    const copyright = COPYRIGHT.exec(path);
    if (copyright) return { licenses: [{ name: copyright[1]!, licenses: parseCopyright(bytes.toString('utf8')) }] };
    const packages: PackageDraft[] = [];
    eachDpkgRecord(bytes.toString('utf8'), (record) => packages.push(dpkgPackage(record)));
    return { packages };
  },
  complete: (draft, os) => ({ ...draft, purl: dpkgPurl(draft, os) }),
};
