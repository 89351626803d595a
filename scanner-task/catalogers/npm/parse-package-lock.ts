// package-lock.json (lockfileVersion 1, 2 and 3): what a project pins, for images that ship the
// lockfile without node_modules. Installed copies found elsewhere take precedence (see inventory).
import type { PackageDraft } from '#shared/packages/package.ts';
import { npmPackage } from './package.ts';

interface LockV1Dependency {
  version?: string;
  dependencies?: Record<string, LockV1Dependency>;
}

interface Lock {
  packages?: Record<string, { name?: string; version?: string; license?: string; link?: boolean }>;
  dependencies?: Record<string, LockV1Dependency>;
}

export function parsePackageLock(bytes: Buffer): PackageDraft[] {
  const lock = JSON.parse(bytes.toString('utf8')) as Lock;
  const found: PackageDraft[] = [];
  if (lock.packages) {
    for (const [path, entry] of Object.entries(lock.packages)) {
      const at = path.lastIndexOf('node_modules/');
      if (at === -1 || entry.link || !entry.version) continue;
      found.push(npmPackage(entry.name ?? path.slice(at + 'node_modules/'.length), entry.version, entry.license ? [entry.license] : []));
    }
  } else {
    const walk = (deps: Record<string, LockV1Dependency>): void => {
      for (const [name, dep] of Object.entries(deps)) {
        if (dep.version && !dep.version.startsWith('file:')) found.push(npmPackage(name, dep.version, []));
        if (dep.dependencies) walk(dep.dependencies);
      }
    };
    walk(lock.dependencies ?? {});
  }
  const unique = new Map(found.map((p) => [p.purl, p]));
  return [...unique.values()];
}
