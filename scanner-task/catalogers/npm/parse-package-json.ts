// An installed package's own package.json (node_modules/<name>/package.json).
import type { PackageDraft } from '#shared/packages/package.ts';
import { npmLicenses } from './licenses.ts';
import { npmPackage } from './package.ts';

export function parsePackageJson(bytes: Buffer): PackageDraft[] {
  const manifest = JSON.parse(bytes.toString('utf8')) as { name?: unknown; version?: unknown; license?: unknown; licenses?: unknown };
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string' || !manifest.name || !manifest.version) return [];
  return [npmPackage(manifest.name, manifest.version, npmLicenses(manifest))];
}
