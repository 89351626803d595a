// Ruby gems installed in the image (any gem home's specifications/ directory, default gems included).
import type { Cataloger } from '../cataloger.ts';
import { parseGemspec } from './parse-gemspec.ts';

const SPEC = /(^|\/)specifications\/(default\/)?[^/]+\.gemspec$/;

export const rubyCataloger: Cataloger = {
  name: 'ruby',
  packageTypes: ['gem'],
  version: 1,
  maxBytes: 1024 * 1024,
  required: ({ path }) => path.endsWith('.gemspec') && SPEC.test(path),
  parse: ({ bytes }) => ({ packages: parseGemspec(bytes.toString('utf8')) }),
};
