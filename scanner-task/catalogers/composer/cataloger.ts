// PHP: packages Composer installed (vendor/composer/installed.json) and project lockfiles.
import type { Cataloger } from '../cataloger.ts';
import { parseComposer } from './parse-composer.ts';

const INSTALLED = 'vendor/composer/installed.json';

export const composerCataloger: Cataloger = {
  name: 'composer',
  packageTypes: ['composer'],
  version: 1,
  maxBytes: 16 * 1024 * 1024,
  required: ({ path }) =>
    path.endsWith(INSTALLED)
      ? path.length === INSTALLED.length || path[path.length - INSTALLED.length - 1] === '/'
      : path === 'composer.lock' || path.endsWith('/composer.lock'),
  parse: ({ path, bytes }) => ({ packages: parseComposer(path, bytes) }),
};
