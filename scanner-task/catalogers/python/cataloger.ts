// Python: installed distributions' metadata (dist-info/METADATA, egg-info/PKG-INFO, egg-info files).
import type { Cataloger } from '../cataloger.ts';
import { parsePythonMetadata } from './parse-metadata.ts';

const METADATA = /\.dist-info\/METADATA$|\.egg-info\/PKG-INFO$|\.egg-info$/;

export const pythonCataloger: Cataloger = {
  name: 'python',
  packageTypes: ['pypi'],
  version: 1,
  maxBytes: 1024 * 1024,
  required: ({ path }) => (path.endsWith('METADATA') || path.endsWith('PKG-INFO') || path.endsWith('.egg-info')) && METADATA.test(path),
  parse: ({ bytes }) => ({ packages: parsePythonMetadata(bytes.toString('utf8')) }),
};
