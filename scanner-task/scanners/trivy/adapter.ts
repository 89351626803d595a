// trivy (`trivy image --format json`): Results[] per target, each with Packages[] (when
// --list-all-pkgs) and Vulnerabilities[]; OS results are typed by distribution.
import { packageTypeOfScanner } from '#shared/ecosystems/ecosystem-of.ts';
import type { EnvelopePackage, EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import { asArray, digestOrUndefined, firstCve, str, toSeverity, type ScannerAdapter, type ScannerOutput } from '../scanner-adapter.ts';

interface TrivyCvss {
  V2Score?: number;
  V3Score?: number;
  V40Score?: number;
  V2Vector?: string;
  V3Vector?: string;
  V40Vector?: string;
}

interface TrivyVulnerability {
  VulnerabilityID: string;
  VendorIDs?: string[];
  PkgName: string;
  PkgIdentifier?: { PURL?: string };
  InstalledVersion: string;
  FixedVersion?: string;
  Layer?: { Digest?: string; DiffID?: string };
  Severity?: string;
  Title?: string;
  References?: string[];
  CVSS?: Record<string, TrivyCvss>;
  DataSource?: { ID?: string };
}

interface TrivyPackage {
  Name: string;
  Version: string;
  Release?: string;
  Epoch?: number;
  SrcName?: string;
  SrcVersion?: string;
  SrcRelease?: string;
  SrcEpoch?: number;
  Licenses?: string[];
  Identifier?: { PURL?: string };
  Layer?: { Digest?: string };
  FilePath?: string;
}

interface TrivyResult {
  Target: string;
  Class?: string;
  Type?: string;
  Packages?: TrivyPackage[];
  Vulnerabilities?: TrivyVulnerability[];
}

// The highest CVSS any source gives, preferring the newest version's vector.
function bestCvss(cvss: Record<string, TrivyCvss> | undefined): { cvss?: number; cvssVector?: string } {
  let best: { cvss?: number; cvssVector?: string } = {};
  for (const source of Object.values(cvss ?? {})) {
    for (const [score, vector] of [
      [source.V40Score, source.V40Vector],
      [source.V3Score, source.V3Vector],
      [source.V2Score, source.V2Vector],
    ] as const) {
      if (typeof score === 'number' && score > (best.cvss ?? -1)) best = { cvss: score, ...(vector ? { cvssVector: vector } : {}) };
    }
  }
  return best;
}

function vulnerability(v: TrivyVulnerability, type: string | undefined): EnvelopeVulnerability {
  const aliases = [...new Set(v.VendorIDs ?? [])].filter((id) => id !== v.VulnerabilityID).sort();
  const cveId = firstCve([v.VulnerabilityID, ...aliases]);
  const layerDigest = digestOrUndefined(v.Layer?.Digest);
  return {
    id: v.VulnerabilityID,
    ...(cveId ? { cveId } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
    severity: toSeverity(v.Severity),
    ...bestCvss(v.CVSS),
    package: v.PkgName,
    version: v.InstalledVersion,
    ...(type ? { packageType: type } : {}),
    ...(v.PkgIdentifier?.PURL ? { purl: v.PkgIdentifier.PURL } : {}),
    // trivy joins several fixes with ", "; the envelope wants one: the first is the smallest.
    fixedVersion: str(v.FixedVersion)?.split(/,\s*/)[0] ?? null,
    ...(layerDigest ? { layerDigest } : {}),
    scanner: 'trivy',
    sources: [v.VulnerabilityID, ...aliases],
    ...(v.References?.length ? { references: v.References.slice(0, 256) } : {}),
    ...(v.Title ? { title: v.Title.slice(0, 4096) } : {}),
  };
}

// OS packages come split into Epoch, Version and Release; the envelope keeps the distribution's spelling.
const fullVersion = (epoch: number | undefined, version: string, release: string | undefined): string =>
  `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;

function pkg(p: TrivyPackage, type: string): EnvelopePackage {
  const layerDigest = digestOrUndefined(p.Layer?.Digest);
  return {
    name: p.Name,
    version: fullVersion(p.Epoch, p.Version, p.Release),
    type,
    ...(p.Identifier?.PURL ? { purl: p.Identifier.PURL } : {}),
    ...(p.Licenses?.length ? { licenses: p.Licenses.slice(0, 64) } : {}),
    ...(p.FilePath ? { location: p.FilePath } : {}),
    ...(layerDigest ? { layerDigest } : {}),
    ...(p.SrcName ? { sourceName: p.SrcName } : {}),
    ...(p.SrcVersion ? { sourceVersion: fullVersion(p.SrcEpoch, p.SrcVersion, p.SrcRelease) } : {}),
  };
}

export function parseTrivy(json: unknown): ScannerOutput {
  const results = asArray<TrivyResult>((json as { Results?: unknown })?.Results);
  // Some trivy modes type the OS result "none"; the distribution in Metadata still says which.
  const family = (json as { Metadata?: { OS?: { Family?: string } } })?.Metadata?.OS?.Family;
  const out: ScannerOutput = { vulnerabilities: [], packages: [], checks: [] };
  for (const r of results) {
    const typeName = r.Class === 'os-pkgs' && !(r.Type && packageTypeOfScanner('trivy', r.Type)) ? family : r.Type;
    // "none": trivy read a package database but could not tell the distribution.
    // trivy's result types and OS families → the envelope's package types (shared/ecosystems).
    const type = typeName && typeName !== 'none' ? (packageTypeOfScanner('trivy', typeName) ?? typeName) : undefined;
    for (const p of r.Packages ?? []) out.packages.push(pkg(p, type ?? 'unknown'));
    for (const v of r.Vulnerabilities ?? []) out.vulnerabilities.push(vulnerability(v, type));
  }
  return out;
}

export const trivyAdapter: ScannerAdapter = {
  name: 'trivy',
  versionArgs: ['--version'],
  parseVersion: (output) => /Version:\s*(\S+)/.exec(output)?.[1] ?? output.trim().split('\n')[0] ?? '',
  args: (target) => [
    'image',
    // A registry reference straight from the registry: no Docker daemon is asked first.
    ...(target.kind === 'registry' ? ['--image-src', 'remote', ...(target.insecure ? ['--insecure'] : []), target.location] : ['--input', target.location]),
    '--format',
    'json',
    '--list-all-pkgs',
    '--quiet',
  ],
  env: (target): Record<string, string> =>
    target.credentials ? { TRIVY_USERNAME: target.credentials.username, TRIVY_PASSWORD: target.credentials.password } : {},
  parse: parseTrivy,
};
