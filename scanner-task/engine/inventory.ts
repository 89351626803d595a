// Turns per-layer findings into the final inventory: keeps what the final filesystem still shows,
// attributes each package to the layer that introduced it, and ties language packages to their OS owner.
import type { Cataloger } from '../catalogers/cataloger.ts';
import type { MergedFilesystem } from '../image/filesystem-merge.ts';
import type { Finding, LayerScan } from '../image/layer-reader.ts';
import type { OsInfo, Package, PackageDraft } from '../model/package.ts';

export interface Inventory {
  os?: OsInfo;
  packages: Package[];
}

const OS_TYPES = new Set(['deb', 'rpm', 'apk']);

const LOCKFILE = /(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|composer\.lock)$/;

const packageKey = (p: PackageDraft): string => `${p.type}\0${p.name}\0${p.version}\0${p.arch ?? ''}\0${p.location ?? ''}`;

// os-release lives in two places; /etc/os-release wins when both are real files (as systemd reads it).
const OS_RELEASE_PRIORITY = ['etc/os-release', 'usr/lib/os-release'];

type KeysByFile = Map<string, Set<string>>;

function indexFindings(scan: LayerScan): KeysByFile {
  const index: KeysByFile = new Map();
  for (const f of scan.findings) index.set(`${f.cataloger}\0${f.path}`, new Set((f.result.packages ?? []).map(packageKey)));
  return index;
}

// One Python distribution often leaves both a dist-info and an egg-info directory in the same
// site directory: that is one installed package, not two.
function dedupeScope(type: string, location: string): string {
  if (type !== 'pypi') return location;
  const meta = location.search(/[^/]+\.(dist-info|egg-info)(\/|$)/);
  return meta === -1 ? location : location.slice(0, meta);
}

/** The earliest layer that already had this package at this path, with no change to it since. */
function introducedIn(key: string, finding: Finding, from: number, scans: readonly LayerScan[], indexes: KeysByFile[], merged: MergedFilesystem): number {
  let layer = from;
  for (let i = from - 1; i >= 0; i--) {
    if (merged.removedBy[i + 1]?.has(finding.path)) break;
    const keys = indexes[i]!.get(`${finding.cataloger}\0${finding.path}`);
    if (keys) {
      if (!keys.has(key)) break;
      layer = i;
    } else if (scans[i]!.entries.has(finding.path)) break;
  }
  return layer;
}

export function buildInventory(scans: readonly LayerScan[], merged: MergedFilesystem, catalogers: readonly Cataloger[]): Inventory {
  const surviving: Array<{ finding: Finding; layerIndex: number }> = [];
  scans.forEach((scan, layerIndex) => {
    for (const finding of scan.findings) if (merged.files.get(finding.path)?.layerIndex === layerIndex) surviving.push({ finding, layerIndex });
  });
  surviving.sort((a, b) => (a.finding.path < b.finding.path ? -1 : a.finding.path > b.finding.path ? 1 : 0));

  let os: OsInfo | undefined;
  for (const path of [...OS_RELEASE_PRIORITY].reverse()) {
    const found = surviving.find((s) => s.finding.path === path && s.finding.result.os);
    if (found) os = found.finding.result.os;
  }
  const indexes = scans.map(indexFindings);
  const byName = new Map(catalogers.map((c) => [c.name, c]));
  const packages: Package[] = [];
  const seen = new Set<string>();
  const owners = new Map<string, { name: string; arch?: string }>();
  const osLicenses = new Map<string, string[]>();
  for (const { finding, layerIndex } of surviving) {
    for (const owned of finding.result.owned ?? []) for (const path of owned.paths) owners.set(path, owned.owner);
    for (const fact of finding.result.licenses ?? []) osLicenses.set(fact.name, fact.licenses);
    const cataloger = byName.get(finding.cataloger);
    for (const draft of finding.result.packages ?? []) {
      const completed = cataloger?.complete ? cataloger.complete(draft, os) : draft;
      const location = completed.location ?? finding.path;
      const dedupe = `${completed.purl}\0${dedupeScope(completed.type, location)}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const from = introducedIn(packageKey(draft), finding, layerIndex, scans, indexes, merged);
      packages.push({ ...completed, location, layerIndex: from, ...(scans[from]?.digest ? { layerDigest: scans[from]!.digest } : {}) });
    }
  }

  for (const p of packages) {
    const licenses = OS_TYPES.has(p.type) && p.licenses.length === 0 ? osLicenses.get(p.name) : undefined;
    if (licenses) p.licenses = licenses;
  }

  // A lockfile only declares what an installed copy elsewhere in the image already proves: keep the copy.
  const installed = new Set(packages.filter((p) => !LOCKFILE.test(p.location)).map((p) => p.purl));
  const unique = packages.filter((p) => !LOCKFILE.test(p.location) || !installed.has(p.purl));

  // A language package whose metadata an OS package installed is that OS package's: keep the relation.
  if (owners.size > 0) {
    const osPackages = new Map<string, Package>();
    for (const p of unique) if (OS_TYPES.has(p.type)) osPackages.set(p.name, p);
    for (const p of unique) {
      if (OS_TYPES.has(p.type)) continue;
      const owner = owners.get(p.location);
      const ownerPackage = owner && osPackages.get(owner.name);
      if (ownerPackage) p.ownedBy = ownerPackage.purl;
    }
  }
  return { ...(os ? { os } : {}), packages: unique };
}
