// grype (`grype <scheme>:<path> -o json`): matches[] pair one vulnerability with one
// artifact; relatedVulnerabilities carry the CVE behind a GHSA or distribution id.
import { packageTypeOfScanner } from '#shared/ecosystems/ecosystem-of.ts';
import type { EnvelopePackage, EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import { asArray, digestOrUndefined, firstCve, str, toSeverity, type ImageTarget, type ScannerAdapter, type ScannerOutput } from '../scanner-adapter.ts';

interface GrypeCvss {
  version?: string;
  vector?: string;
  metrics?: { baseScore?: number };
}

interface GrypeArtifact {
  name: string;
  version: string;
  type?: string;
  purl?: string;
  licenses?: string[];
  locations?: Array<{ path?: string; layerID?: string }>;
  upstreams?: Array<{ name: string; version?: string }>;
}

interface GrypeMatch {
  vulnerability: { id: string; severity?: string; description?: string; urls?: string[]; cvss?: GrypeCvss[]; fix?: { versions?: string[]; state?: string } };
  relatedVulnerabilities?: Array<{ id: string; cvss?: GrypeCvss[]; urls?: string[] }>;
  artifact: GrypeArtifact;
}

function bestCvss(list: GrypeCvss[]): { cvss?: number; cvssVector?: string } {
  let best: { cvss?: number; cvssVector?: string } = {};
  for (const c of list) {
    const score = c.metrics?.baseScore;
    if (typeof score === 'number' && score > (best.cvss ?? -1)) best = { cvss: score, ...(c.vector ? { cvssVector: c.vector } : {}) };
  }
  return best;
}

function vulnerability(m: GrypeMatch): EnvelopeVulnerability {
  const v = m.vulnerability;
  const related = m.relatedVulnerabilities ?? [];
  const aliases = [...new Set(related.map((r) => r.id))].filter((id) => id !== v.id).sort();
  const cveId = firstCve([v.id, ...aliases]);
  const layerDigest = digestOrUndefined(m.artifact.locations?.[0]?.layerID);
  const references = [...new Set([...(v.urls ?? []), ...related.flatMap((r) => r.urls ?? [])])];
  const type = m.artifact.type ? (packageTypeOfScanner('anchore', m.artifact.type) ?? m.artifact.type) : undefined;
  return {
    // The CVE names the finding when grype matched a distribution or GHSA record of it.
    id: cveId ?? v.id,
    ...(cveId ? { cveId } : {}),
    ...(aliases.length > 0 || cveId !== v.id ? { aliases: [...new Set([v.id, ...aliases])].filter((id) => id !== (cveId ?? v.id)).sort() } : {}),
    severity: toSeverity(v.severity),
    ...bestCvss([...(v.cvss ?? []), ...related.flatMap((r) => r.cvss ?? [])]),
    package: m.artifact.name,
    version: m.artifact.version,
    ...(type ? { packageType: type } : {}),
    ...(m.artifact.purl ? { purl: m.artifact.purl } : {}),
    fixedVersion: v.fix?.state === 'fixed' ? (str(v.fix.versions?.[0]) ?? null) : null,
    ...(layerDigest ? { layerDigest } : {}),
    scanner: 'grype',
    sources: [v.id],
    ...(references.length > 0 ? { references: references.slice(0, 256) } : {}),
    ...(v.description ? { title: v.description.split('\n', 1)[0]!.slice(0, 4096) } : {}),
  };
}

function grypePackage(a: GrypeArtifact): EnvelopePackage {
  const layerDigest = digestOrUndefined(a.locations?.[0]?.layerID);
  const upstream = a.upstreams?.[0];
  return {
    name: a.name,
    version: a.version,
    type: a.type ? (packageTypeOfScanner('anchore', a.type) ?? a.type) : 'unknown',
    ...(a.purl ? { purl: a.purl } : {}),
    ...(a.locations?.[0]?.path ? { location: a.locations[0].path.replace(/^\//, '') } : {}),
    ...(layerDigest ? { layerDigest } : {}),
    ...(upstream ? { sourceName: upstream.name, ...(upstream.version ? { sourceVersion: upstream.version } : {}) } : {}),
  };
}

export function parseGrype(json: unknown): ScannerOutput {
  const matches = asArray<GrypeMatch>((json as { matches?: unknown })?.matches);
  const packages = new Map<string, EnvelopePackage>();
  for (const m of matches) packages.set(`${m.artifact.purl ?? m.artifact.name}@${m.artifact.version}`, grypePackage(m.artifact));
  return { vulnerabilities: matches.map(vulnerability), packages: [...packages.values()], checks: [] };
}

/** `grype version` / `syft version` print the same report; its Version: line. */
export const anchoreVersion = (output: string): string => /^Version:\s*(\S+)/m.exec(output)?.[1] ?? output.trim();

// grype and syft name local images with a scheme prefix.
export function anchoreSource(target: ImageTarget): string {
  return target.kind === 'oci'
    ? `oci-dir:${target.location}`
    : target.kind === 'registry'
      ? `registry:${target.location}`
      : `${target.kind}:${target.location}`;
}

/** grype and syft read registry settings from <PREFIX>_REGISTRY_* (their shared stereoscope options). */
export function anchoreRegistryEnv(prefix: 'GRYPE' | 'SYFT', target: ImageTarget): Record<string, string> {
  if (target.kind !== 'registry') return {};
  return {
    ...(target.insecure ? { [`${prefix}_REGISTRY_INSECURE_USE_HTTP`]: 'true' } : {}),
    ...(target.credentials
      ? {
          [`${prefix}_REGISTRY_AUTH_AUTHORITY`]: target.registry ?? '',
          [`${prefix}_REGISTRY_AUTH_USERNAME`]: target.credentials.username,
          [`${prefix}_REGISTRY_AUTH_PASSWORD`]: target.credentials.password,
        }
      : {}),
  };
}

export const grypeAdapter: ScannerAdapter = {
  name: 'grype',
  versionArgs: ['version'],
  parseVersion: anchoreVersion,
  args: (target) => [anchoreSource(target), '-o', 'json', '-q'],
  env: (target) => anchoreRegistryEnv('GRYPE', target),
  parse: parseGrype,
};
