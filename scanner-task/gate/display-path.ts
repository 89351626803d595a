import { isAbsolute, relative } from 'node:path';

/** A file as the user knows it in a message: relative to where they are when it is below there, else as given. */
export function displayPath(path: string): string {
  const below = relative(process.cwd(), path);
  return isAbsolute(path) && below !== '' && !below.startsWith('..') && !isAbsolute(below) ? below : path;
}
