// Every cataloger the engine runs, listed once. Adding an ecosystem = one folder and one line here.
import type { Cataloger } from './cataloger.ts';
import { dpkgCataloger } from './dpkg/cataloger.ts';
import { npmCataloger } from './npm/cataloger.ts';
import { osReleaseCataloger } from './os-release/cataloger.ts';
import { pythonCataloger } from './python/cataloger.ts';

export const catalogers: readonly Cataloger[] = [
  osReleaseCataloger,
  dpkgCataloger,
  npmCataloger,
  pythonCataloger,
];
