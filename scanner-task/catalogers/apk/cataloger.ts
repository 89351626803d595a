// Alpine packages from apk's installed database, with the language metadata each one installed.
import type { Cataloger } from '../cataloger.ts';
import { apkPurl } from './package.ts';
import { parseApkInstalled } from './parse-installed.ts';

export const apkCataloger: Cataloger = {
  name: 'apk',
  packageTypes: ['apk'],
  version: 2,
  maxBytes: 64 * 1024 * 1024,
  required: ({ path }) => path === 'lib/apk/db/installed',
  parse: ({ bytes }) => parseApkInstalled(bytes.toString('utf8')),
  complete: (draft, os) => ({ ...draft, purl: apkPurl(draft, os) }),
};
