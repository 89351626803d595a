// Composer's records of PHP packages: vendor/composer/installed.json (what `composer install` put
// in vendor/; an object with "packages" since Composer 2, a bare array before) and composer.lock
// ("packages" and "packages-dev"). Versions stay as Composer wrote them ("v6.4.0" included): the
// Packagist version scheme normalises them when matching.
import type { PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';

interface ComposerPackage {
  name?: unknown;
  version?: unknown;
  license?: unknown;
}

// "vendor/name", lower case as Packagist requires; anything else is not a Packagist package.
const PACKAGE_NAME = /^[a-z0-9]([_.-]?[a-z0-9]+)*\/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$/;

function toDraft(entry: ComposerPackage): PackageDraft | undefined {
  if (typeof entry.name !== 'string' || typeof entry.version !== 'string' || !PACKAGE_NAME.test(entry.name) || entry.version === '') return undefined;
  const slash = entry.name.indexOf('/');
  const licenses = Array.isArray(entry.license)
    ? entry.license.filter((l): l is string => typeof l === 'string')
    : typeof entry.license === 'string'
      ? [entry.license]
      : [];
  return {
    name: entry.name,
    version: entry.version,
    type: 'composer',
    purl: buildPurl({ type: 'composer', namespace: entry.name.slice(0, slash), name: entry.name.slice(slash + 1), version: entry.version }),
    licenses,
  };
}

function entriesOf(document: unknown, lists: readonly string[]): ComposerPackage[] {
  if (Array.isArray(document)) return document as ComposerPackage[];
  if (typeof document !== 'object' || document === null) return [];
  return lists.flatMap((list) => {
    const entries = (document as Record<string, unknown>)[list];
    return Array.isArray(entries) ? (entries as ComposerPackage[]) : [];
  });
}

/** Throws on malformed JSON (the engine reports it as a warning for that file). */
export function parseComposer(path: string, bytes: Buffer): PackageDraft[] {
  const document: unknown = JSON.parse(bytes.toString('utf8'));
  const lists = path.endsWith('composer.lock') ? ['packages', 'packages-dev'] : ['packages'];
  return entriesOf(document, lists).flatMap((entry) => toDraft(entry) ?? []);
}
