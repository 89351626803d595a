// Every cataloger the engine runs, listed once. Adding an ecosystem = one folder, one line here and its
// entry in shared/ecosystems/ecosystems.ts (README, "Add an ecosystem").
import { apkCataloger } from './apk/cataloger.ts';
import type { Cataloger } from './cataloger.ts';
import { composerCataloger } from './composer/cataloger.ts';
import { dotnetCataloger } from './dotnet/cataloger.ts';
import { dpkgCataloger } from './dpkg/cataloger.ts';
import { goBinaryCataloger } from './golang/cataloger.ts';
import { javaCataloger } from './java/cataloger.ts';
import { npmCataloger } from './npm/cataloger.ts';
import { osReleaseCataloger } from './os-release/cataloger.ts';
import { pythonCataloger } from './python/cataloger.ts';
import { rpmCataloger } from './rpm/cataloger.ts';
import { rubyCataloger } from './ruby/cataloger.ts';

export const catalogers: readonly Cataloger[] = [
  osReleaseCataloger,
  dpkgCataloger,
  apkCataloger,
  rpmCataloger,
  npmCataloger,
  pythonCataloger,
  javaCataloger,
  goBinaryCataloger,
  rubyCataloger,
  dotnetCataloger,
  composerCataloger,
];
