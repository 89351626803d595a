// The explicit list of version schemes: adding a scheme is adding a file, a line here and its name
// in shared/ecosystems (VersionSchemeName). Which OSV ecosystem uses which is the ecosystem table's.
import { KNOWN_OSV_ECOSYSTEMS, osvEcosystem } from '../../ecosystems/ecosystem-of.ts';
import type { VersionSchemeName } from '../../ecosystems/ecosystems.ts';
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
} as const satisfies Record<VersionSchemeName, VersionScheme>;

// Each OSV ecosystem the table names (matched or related) with its entry's scheme.
const ECOSYSTEMS: ReadonlyMap<string, VersionScheme> = new Map(
  KNOWN_OSV_ECOSYSTEMS.map((ecosystem) => [ecosystem, schemes[osvEcosystem(ecosystem)!.advisories.versionScheme]]),
);

export class UnknownEcosystemError extends Error {
  constructor(ecosystem: string) {
    super(`unknown ecosystem ${JSON.stringify(ecosystem)} (known: ${KNOWN_OSV_ECOSYSTEMS.join(', ')})`);
    this.name = 'UnknownEcosystemError';
  }
}

// OSV qualifies distribution ecosystems with a release ("Debian:12", "Alpine:v3.19",
// "Red Hat:enterprise_linux:9"); the scheme depends only on the part before the first colon.
export function schemeForEcosystem(ecosystem: string): VersionScheme {
  const base = ecosystem.split(':', 1)[0] ?? '';
  const scheme = ECOSYSTEMS.get(base);
  if (!scheme) throw new UnknownEcosystemError(ecosystem);
  return scheme;
}
