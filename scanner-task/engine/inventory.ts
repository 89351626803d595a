// Turns per-layer findings into the final inventory: keeps what the final filesystem still shows,
// attributes each package to the layer that introduced it, and ties language packages to their OS owner.
import { isOsPackageType } from '#shared/ecosystems/ecosystem-of.ts';
import type { Cataloger } from '../catalogers/cataloger.ts';
import type { MergedFilesystem } from '../image/filesystem-merge.ts';
import type { Finding, LayerScan } from '../image/layer-reader.ts';
import { matchedViaOwner } from '../match/matched-via-owner.ts';
import type { OsInfo, OsPackageType, Package, PackageDraft } from '#shared/packages/package.ts';

export interface Inventory {
  os?: OsInfo;
  packages: Package[];
}

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

/**
 * For each path, the layers that touched it, newest first: 2i when layer i has an entry there,
 * 2i + 1 when layer i + 1 removed it (so a removal is met before the layer below it). Walking
 * these instead of every layer below keeps attribution linear: 200,000 packages in the top layer
 * of a 1,000-layer image were 200 million lookups. Each layer costs the smaller of its entries
 * and the paths asked about.
 */
function touchesOf(paths: Set<string>, scans: readonly LayerScan[], merged: MergedFilesystem): Map<string, number[]> {
  const touches = new Map<string, number[]>();
  const touch = (within: { has(path: string): boolean; size: number; keys(): Iterable<string> } | undefined, event: number): void => {
    if (!within) return;
    const [few, many] = within.size < paths.size ? [within.keys(), paths] : [paths, within];
    for (const path of few) {
      if (!many.has(path)) continue;
      const list = touches.get(path);
      if (list) list.push(event);
      else touches.set(path, [event]);
    }
  };
  scans.forEach((scan, i) => {
    if (i > 0) touch(merged.removedBy[i], 2 * (i - 1) + 1);
    touch(scan.entries, 2 * i);
  });
  for (const list of touches.values()) list.sort((a, b) => b - a);
  return touches;
}

/** The earliest layer that already had this package at this path, with no change to it since. */
function introducedIn(key: string, keysOfFile: string, from: number, below: readonly number[], indexes: KeysByFile[]): number {
  let layer = from;
  for (const event of below) {
    if (event % 2 === 1) break; // removed above this layer
    const keys = indexes[event / 2]!.get(keysOfFile);
    if (!keys?.has(key)) break; // the file differs there, or it was another file
    layer = event / 2;
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
  const touches = touchesOf(new Set(surviving.map((s) => s.finding.path)), scans, merged);
  const byName = new Map(catalogers.map((c) => [c.name, c]));
  const packages: Package[] = [];
  const seen = new Set<string>();
  const owners = new Map<string, { type: OsPackageType; name: string }>();
  const osLicenses = new Map<string, string[]>();
  for (const { finding, layerIndex } of surviving) {
    const below = (touches.get(finding.path) ?? []).filter((event) => event < 2 * layerIndex);
    const keysOfFile = `${finding.cataloger}\0${finding.path}`;
    for (const owned of finding.result.owned ?? []) for (const path of owned.paths) owners.set(path, owned.owner);
    for (const fact of finding.result.licenses ?? []) osLicenses.set(fact.name, fact.licenses);
    const cataloger = byName.get(finding.cataloger);
    for (const draft of finding.result.packages ?? []) {
      const completed = cataloger?.complete ? cataloger.complete(draft, os) : draft;
      const location = completed.location ?? finding.path;
      const dedupe = `${completed.purl}\0${dedupeScope(completed.type, location)}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const from = introducedIn(packageKey(draft), keysOfFile, layerIndex, below, indexes);
      packages.push({ ...completed, location, layerIndex: from, ...(scans[from]?.digest ? { layerDigest: scans[from].digest } : {}) });
    }
  }

  for (const p of packages) {
    const licenses = isOsPackageType(p.type) && p.licenses.length === 0 ? osLicenses.get(p.name) : undefined;
    if (licenses) p.licenses = licenses;
  }

  // A lockfile only declares what an installed copy elsewhere in the image already proves: keep the copy.
  const installed = new Set(packages.filter((p) => !LOCKFILE.test(p.location)).map((p) => p.purl));
  const unique = packages.filter((p) => !LOCKFILE.test(p.location) || !installed.has(p.purl));

  // A language package whose metadata an OS package installed is that OS package's: keep the
  // relation, and match it through that package (an owner no package database lists proves nothing).
  if (owners.size > 0) {
    const osPackages = new Map<string, Package>();
    for (const p of unique) if (isOsPackageType(p.type)) osPackages.set(`${p.type}\0${p.name}`, p);
    for (const p of unique) {
      if (isOsPackageType(p.type)) continue;
      const owner = owners.get(p.location);
      const ownerPackage = owner && osPackages.get(`${owner.type}\0${owner.name}`);
      if (!ownerPackage) continue;
      p.ownedBy = ownerPackage.purl;
      p.matchedVia = matchedViaOwner(p.type, owner);
    }
  }
  return { ...(os ? { os } : {}), packages: unique };
}
