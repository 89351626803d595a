// Which OSV ecosystem(s), name and version an installed package is looked up under, as its
// entry in the ecosystem table (shared/ecosystems) says. OS packages depend on the distribution
// release; Debian and Alpine data is keyed by the source package, Red Hat-family data by the binary rpm.
import { ecosystemOf } from '../ecosystems/ecosystem-of.ts';
import type { Advisories, ReleaseRule } from '../ecosystems/ecosystems.ts';
import type { OsInfo, Package } from '../packages/package.ts';

export interface Lookup {
  ecosystems: string[];
  name: string;
  version: string;
}

const major = (versionId: string): string => versionId.split('.', 1)[0] ?? versionId;
const majorMinor = (versionId: string): string => versionId.split('.').slice(0, 2).join('.');

// The release part of an OSV ecosystem: "Ubuntu:22.04:LTS" → ["22.04", "LTS"].
const releaseOf = (ecosystem: string, osv: string): string[] | undefined =>
  ecosystem.startsWith(`${osv}:`) ? ecosystem.slice(osv.length + 1).split(':') : undefined;

const RELEASES: Record<ReleaseRule, (osv: string, versionId: string, known: readonly string[]) => string[]> = {
  major: (osv, versionId) => [`${osv}:${major(versionId)}`],
  'v-major-minor': (osv, versionId) => [`${osv}:v${majorMinor(versionId)}`],
  'listed-version': (osv, versionId, known) => known.filter((e) => releaseOf(e, osv)?.[0] === versionId),
  // Red Hat's name a product stream: "Red Hat:enterprise_linux:9::baseos", "Red Hat:rhel_eus:9.2::appstream".
  'listed-major': (osv, versionId, known) =>
    known.filter((e) => {
      const release = releaseOf(e, osv);
      return release !== undefined && release.length > 1 && major(release[1] ?? '') === major(versionId);
    }),
};

/** The OSV ecosystems of the image's release that hold advisories for OS packages of this entry. */
export function osEcosystems(advisories: Advisories, os: OsInfo | undefined, known: readonly string[]): string[] {
  if (!os?.versionId || !advisories.distributions || !Object.hasOwn(advisories.distributions, os.id)) return [];
  const { osv, release } = advisories.distributions[os.id]!;
  return RELEASES[release](osv, os.versionId, known);
}

// go version "go1.22" / "go1.22rc1" become "v1.22" / "v1.22rc1"; OSV ranges for stdlib
// are full SemVer ("1.22.0", "1.22.0-rc.1").
export function goToolchainVersion(version: string): string {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(version);
  if (!m) return version;
  return `${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ? `-${m[4]}.${m[5]}` : ''}`;
}

/** Where a package's advisories are filed; undefined when the ecosystem table knows no advisories for its type. */
export function lookupFor(pkg: Package, os: OsInfo | undefined, known: readonly string[]): Lookup | undefined {
  const ecosystem = ecosystemOf(pkg.type);
  const advisories = ecosystem?.advisories;
  if (!advisories) return undefined;
  const ecosystems = ecosystem.kind === 'os' ? osEcosystems(advisories, os, known) : [...advisories.osv];
  switch (advisories.lookup) {
    case 'source':
      // Source versions carry no binNMU suffix ("+b13") and no binary-only epoch.
      return { ecosystems, name: pkg.sourceName ?? pkg.name, version: pkg.sourceVersion ?? pkg.version };
    case 'source-name':
      return { ecosystems, name: pkg.sourceName ?? pkg.name, version: pkg.version };
    case 'binary':
      return { ecosystems, name: pkg.name, version: pkg.version };
    case 'go-module':
      return { ecosystems, name: pkg.name, version: pkg.name === 'stdlib' ? goToolchainVersion(pkg.version) : pkg.version };
  }
}
