// Which distribution the image is: os-release in either of its standard places, plus Alpine's own file.
import type { Cataloger } from '../cataloger.ts';
import { parseOsRelease } from './parse-os-release.ts';

const PATHS = new Set(['etc/os-release', 'usr/lib/os-release']);

export const osReleaseCataloger: Cataloger = {
  name: 'os-release',
  packageTypes: [],
  version: 1,
  maxBytes: 64 * 1024,
  required: ({ path }) => PATHS.has(path),
  parse: ({ bytes }) => {
    const os = parseOsRelease(bytes.toString('utf8'));
    return os ? { os } : {};
  },
};
