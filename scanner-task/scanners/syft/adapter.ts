// syft (`syft <scheme>:<path> -o syft-json`): an SBOM, so packages only.
import { packageTypeOfScanner } from '#shared/ecosystems/ecosystem-of.ts';
import type { EnvelopePackage } from '#shared/envelope/envelope-schema.ts';
import { anchoreRegistryEnv, anchoreSource, anchoreVersion } from '../grype/adapter.ts';
import { asArray, digestOrUndefined, type ScannerAdapter, type ScannerOutput } from '../scanner-adapter.ts';

interface SyftArtifact {
  name: string;
  version: string;
  type?: string;
  purl?: string;
  licenses?: Array<{ value?: string } | string>;
  locations?: Array<{ path?: string; layerID?: string }>;
  metadata?: { source?: string; sourceVersion?: string; originPackage?: string };
}

function pkg(a: SyftArtifact): EnvelopePackage {
  const licenses = (a.licenses ?? []).map((l) => (typeof l === 'string' ? l : (l.value ?? ''))).filter(Boolean);
  const layerDigest = digestOrUndefined(a.locations?.[0]?.layerID);
  const sourceName = a.metadata?.source || a.metadata?.originPackage;
  return {
    name: a.name,
    version: a.version,
    type: a.type ? (packageTypeOfScanner('anchore', a.type) ?? a.type) : 'unknown',
    ...(a.purl ? { purl: a.purl } : {}),
    ...(licenses.length > 0 ? { licenses: licenses.slice(0, 64) } : {}),
    ...(a.locations?.[0]?.path ? { location: a.locations[0].path.replace(/^\//, '') } : {}),
    ...(layerDigest ? { layerDigest } : {}),
    ...(sourceName ? { sourceName } : {}),
    ...(a.metadata?.sourceVersion ? { sourceVersion: a.metadata.sourceVersion } : {}),
  };
}

export function parseSyft(json: unknown): ScannerOutput {
  return { vulnerabilities: [], packages: asArray<SyftArtifact>((json as { artifacts?: unknown })?.artifacts).map(pkg), checks: [] };
}

export const syftAdapter: ScannerAdapter = {
  name: 'syft',
  versionArgs: ['version'],
  parseVersion: anchoreVersion,
  args: (target) => [anchoreSource(target), '-o', 'syft-json', '-q'],
  env: (target) => anchoreRegistryEnv('SYFT', target),
  parse: parseSyft,
};
