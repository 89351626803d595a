// Java archives anywhere in the image, nested ones included.
import type { Cataloger } from '../cataloger.ts';
import { JAVA_ARCHIVE, parseJavaArchive } from './parse-archive.ts';

export const javaCataloger: Cataloger = {
  name: 'java',
  packageTypes: ['maven'],
  version: 1,
  maxBytes: 64 * 1024 * 1024,
  required: ({ path }) => JAVA_ARCHIVE.test(path),
  parse: ({ path, bytes }) => {
    const { packages, warnings } = parseJavaArchive(bytes, path);
    return { packages, warnings };
  },
};
