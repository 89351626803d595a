// .NET <app>.deps.json: "libraries" lists every NuGet package the app was built with as "Name/Version".
import type { PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';

interface DepsJson {
  libraries?: Record<string, { type?: string }>;
}

export function parseDepsJson(bytes: Buffer): PackageDraft[] {
  const deps = JSON.parse(bytes.toString('utf8')) as DepsJson;
  const packages: PackageDraft[] = [];
  for (const [key, library] of Object.entries(deps.libraries ?? {})) {
    // "project" entries are the app itself and its own projects, not NuGet packages.
    if (library.type !== 'package') continue;
    const slash = key.lastIndexOf('/');
    if (slash <= 0) continue;
    const name = key.slice(0, slash);
    const version = key.slice(slash + 1);
    packages.push({ name, version, type: 'nuget', purl: buildPurl({ type: 'nuget', name, version }), licenses: [] });
  }
  return packages;
}
