// npm: installed packages under node_modules, and package-lock.json files of projects.
import type { Cataloger } from '../cataloger.ts';
import { parsePackageJson } from './parse-package-json.ts';
import { parsePackageLock } from './parse-package-lock.ts';

// node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, at any depth.
const INSTALLED = /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/;

export const npmCataloger: Cataloger = {
  name: 'npm',
  packageTypes: ['npm'],
  version: 1,
  maxBytes: 4 * 1024 * 1024,
  required: ({ path }) =>
    (path.endsWith('/package.json') && INSTALLED.test(path)) ||
    (path.endsWith('package-lock.json') && !path.includes('node_modules/') && /(^|\/)package-lock\.json$/.test(path)),
  parse: ({ path, bytes }) => ({ packages: path.endsWith('package-lock.json') ? parsePackageLock(bytes) : parsePackageJson(bytes) }),
};
