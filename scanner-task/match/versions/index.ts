// The explicit list of version schemes and the OSV ecosystems that use them: adding a
// scheme is adding a file and a line here.
import * as apk from './apk.ts';
import * as dpkg from './dpkg.ts';
import * as go from './go.ts';
import * as maven from './maven.ts';
import * as npm from './npm.ts';
import * as nuget from './nuget.ts';
import * as packagist from './packagist.ts';
import * as pep440 from './pep440.ts';
import * as rpm from './rpm.ts';
import * as rubygems from './rubygems.ts';
import * as semver from './semver.ts';
import type { VersionScheme } from './version-scheme.ts';

export { InvalidVersionError } from './invalid-version-error.ts';
export type { Compare, Comparison, VersionScheme } from './version-scheme.ts';

export const schemes = {
  apk: { name: 'apk', compare: apk.compare },
  dpkg: { name: 'dpkg', compare: dpkg.compare },
  go: { name: 'Go', compare: go.compare },
  maven: { name: 'Maven', compare: maven.compare },
  npm: { name: 'npm', compare: npm.compare },
  nuget: { name: 'NuGet', compare: nuget.compare },
  packagist: { name: 'Packagist', compare: packagist.compare },
  pep440: { name: 'PEP 440', compare: pep440.compare },
  rpm: { name: 'rpm', compare: rpm.compare },
  rubygems: { name: 'RubyGems', compare: rubygems.compare },
  semver: { name: 'semver', compare: semver.compare },
} as const satisfies Record<string, VersionScheme>;

// OSV ecosystem names as the OSV schema spells them. Wolfi, Chainguard, SUSE and
// openSUSE are not in the brief but are container bases with a known scheme.
const ECOSYSTEMS: Readonly<Record<string, VersionScheme>> = {
  Debian: schemes.dpkg,
  Ubuntu: schemes.dpkg,
  Alpine: schemes.apk,
  Wolfi: schemes.apk,
  Chainguard: schemes.apk,
  'Red Hat': schemes.rpm,
  'Rocky Linux': schemes.rpm,
  AlmaLinux: schemes.rpm,
  SUSE: schemes.rpm,
  openSUSE: schemes.rpm,
  npm: schemes.npm,
  PyPI: schemes.pep440,
  Maven: schemes.maven,
  Go: schemes.go,
  'crates.io': schemes.semver,
  RubyGems: schemes.rubygems,
  NuGet: schemes.nuget,
  Packagist: schemes.packagist,
};

export class UnknownEcosystemError extends Error {
  constructor(ecosystem: string) {
    super(`unknown ecosystem ${JSON.stringify(ecosystem)} (known: ${Object.keys(ECOSYSTEMS).join(', ')})`);
    this.name = 'UnknownEcosystemError';
  }
}

// OSV qualifies distribution ecosystems with a release ("Debian:12", "Alpine:v3.19",
// "Red Hat:enterprise_linux:9"); the scheme depends only on the part before the first colon.
export function schemeForEcosystem(ecosystem: string): VersionScheme {
  const base = ecosystem.split(':', 1)[0] ?? '';
  const scheme = Object.hasOwn(ECOSYSTEMS, base) ? ECOSYSTEMS[base] : undefined;
  if (!scheme) throw new UnknownEcosystemError(ecosystem);
  return scheme;
}
