// Which pushed images an integration scans: its repository and tag globs (picomatch, the glob
// library most of the npm ecosystem uses; `/` separates repository path segments, so `acme/*`
// is one level and `acme/**` any depth).
import picomatch from 'picomatch';
import type { PushFilters } from './integration.ts';
import type { PushedImage } from './providers/provider.ts';

export const MATCH_EVERYTHING: PushFilters = { repositories: ['**'], tags: ['*'] };

const matchers = new Map<string, (value: string) => boolean>();
function matcher(globs: readonly string[]): (value: string) => boolean {
  const key = JSON.stringify(globs);
  let match = matchers.get(key);
  if (!match) {
    // Bounded: globs are validated short (manage-integrations.ts), and picomatch compiles to a regular expression without backtracking blow-ups for them.
    match = picomatch([...globs], { dot: true, nobrace: true, noextglob: true });
    if (matchers.size > 1000) matchers.clear();
    matchers.set(key, match);
  }
  return match;
}

/** Why the filters pass over this image, or undefined when they admit it. */
export function filteredOut(image: PushedImage, filters: PushFilters): string | undefined {
  if (!matcher(filters.repositories)(image.repository)) return `repository ${image.repository} matches none of ${filters.repositories.join(', ')}`;
  if (image.tag !== null && !matcher(filters.tags)(image.tag)) return `tag ${image.tag} matches none of ${filters.tags.join(', ')}`;
  return undefined;
}
