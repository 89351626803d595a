// npm packages as the shared model: purl namespace is the @scope.
import type { PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';

export function npmPackage(name: string, version: string, licenses: string[], location?: string): PackageDraft {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return {
    name,
    version,
    type: 'npm',
    purl: buildPurl({ type: 'npm', ...(slash > 0 ? { namespace: name.slice(0, slash) } : {}), name: slash > 0 ? name.slice(slash + 1) : name, version }),
    licenses,
    ...(location ? { location } : {}),
  };
}
