// Every package ecosystem HarborGuard knows, once: what catalogers may produce, how matching
// looks a package up (OSV ecosystem, version order, name spelling), how SBOMs and other
// scanners' outputs name it, and which OSV dumps a deployment downloads. Adding an ecosystem
// is a member of PackageType and its entry here; the compiler refuses one without the other.

/** A package's type, which is also its purl type (https://github.com/package-url/purl-spec). */
export type PackageType = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'maven' | 'golang' | 'cargo' | 'gem' | 'nuget' | 'composer';

/** How versions compare: the schemes in shared/matching/versions/index.ts, which must have each. */
export type VersionSchemeName = 'apk' | 'dpkg' | 'go' | 'maven' | 'npm' | 'nuget' | 'packagist' | 'pep440' | 'rpm' | 'rubygems' | 'semver';

/**
 * Which name and version a package's advisories are filed under.
 * - `source`: its source package's name and version (Debian: a binNMU's "+b1" is in no advisory).
 * - `source-name`: its source package's name with its own version (Alpine: one origin, one version).
 * - `binary`: its own name and version (the Red Hat family, language ecosystems).
 * - `go-module`: as `binary`, except the toolchain (`stdlib`), whose "go1.22" OSV spells "1.22.0".
 */
export type LookupKind = 'source' | 'source-name' | 'binary' | 'go-module';

/**
 * How an image's os-release VERSION_ID picks the OSV ecosystems of its release.
 * - `major`: "<osv>:<major>" (Debian:12, Rocky Linux:9).
 * - `v-major-minor`: "<osv>:v<major>.<minor>" (Alpine:v3.19).
 * - `listed-version`: the snapshot's "<osv>:<VERSION_ID>[:…]" (Ubuntu:22.04:LTS; not Ubuntu:Pro, which needs a subscription).
 * - `listed-major`: the snapshot's "<osv>:<stream>:<major>[.…]:…" (Red Hat:enterprise_linux:9::baseos).
 */
export type ReleaseRule = 'major' | 'v-major-minor' | 'listed-version' | 'listed-major';

/** How names are spelled in the advisory index: PEP 503 for PyPI, case-insensitive for NuGet and Composer. */
export type NameRule = 'exact' | 'lowercase' | 'pep503';

export interface Advisories {
  /** OSV ecosystems packages are matched against (and whose dumps the updater downloads), as OSV spells them. */
  osv: readonly string[];
  /** OS packages: os-release ID → which release of which `osv` ecosystem applies. */
  distributions?: Readonly<Record<string, { osv: string; release: ReleaseRule }>>;
  /** OSV ecosystems in the same format that no image is matched against yet: other scanners' findings and `db build` read them. */
  relatedOsv?: readonly string[];
  versionScheme: VersionSchemeName;
  lookup: LookupKind;
  names: NameRule;
}

export interface Ecosystem {
  /** The purl type of its packages (the purl spec's; every cataloger's purls start pkg:<purlType>/). */
  purlType: string;
  /** OS packages come from the distribution's package manager; language packages from an ecosystem's registry. */
  kind: 'os' | 'language';
  /** Where its advisories are; null for one no advisory source covers yet (matching then warns, never reports clean). */
  advisories: Advisories | null;
  /** Names other scanners give this type: syft and grype (`anchore`) artifact types, trivy result types and OS families. */
  scannerTypes: { anchore: readonly string[]; trivy: readonly string[] };
}

export const ECOSYSTEMS = {
  deb: {
    purlType: 'deb',
    kind: 'os',
    advisories: {
      osv: ['Debian', 'Ubuntu'],
      distributions: { debian: { osv: 'Debian', release: 'major' }, ubuntu: { osv: 'Ubuntu', release: 'listed-version' } },
      versionScheme: 'dpkg',
      lookup: 'source',
      names: 'exact',
    },
    scannerTypes: { anchore: ['deb'], trivy: ['debian', 'ubuntu'] },
  },
  apk: {
    purlType: 'apk',
    kind: 'os',
    advisories: {
      osv: ['Alpine'],
      distributions: { alpine: { osv: 'Alpine', release: 'v-major-minor' } },
      relatedOsv: ['Wolfi', 'Chainguard'],
      versionScheme: 'apk',
      lookup: 'source-name',
      names: 'exact',
    },
    scannerTypes: { anchore: ['apk'], trivy: ['alpine', 'wolfi', 'chainguard'] },
  },
  rpm: {
    purlType: 'rpm',
    kind: 'os',
    advisories: {
      osv: ['Red Hat', 'Rocky Linux', 'AlmaLinux'],
      distributions: {
        rhel: { osv: 'Red Hat', release: 'listed-major' },
        rocky: { osv: 'Rocky Linux', release: 'major' },
        almalinux: { osv: 'AlmaLinux', release: 'major' },
      },
      relatedOsv: ['SUSE', 'openSUSE'],
      versionScheme: 'rpm',
      lookup: 'binary',
      names: 'exact',
    },
    scannerTypes: { anchore: ['rpm'], trivy: ['redhat', 'centos', 'rocky', 'alma', 'amazon', 'cbl-mariner', 'suse'] },
  },
  npm: {
    purlType: 'npm',
    kind: 'language',
    advisories: { osv: ['npm'], versionScheme: 'npm', lookup: 'binary', names: 'exact' },
    scannerTypes: { anchore: ['npm'], trivy: ['node-pkg', 'npm', 'yarn', 'pnpm'] },
  },
  pypi: {
    purlType: 'pypi',
    kind: 'language',
    advisories: { osv: ['PyPI'], versionScheme: 'pep440', lookup: 'binary', names: 'pep503' },
    scannerTypes: { anchore: ['python'], trivy: ['python-pkg', 'pip', 'pipenv', 'poetry'] },
  },
  maven: {
    purlType: 'maven',
    kind: 'language',
    advisories: { osv: ['Maven'], versionScheme: 'maven', lookup: 'binary', names: 'exact' },
    scannerTypes: { anchore: ['java-archive'], trivy: ['jar', 'pom', 'gradle'] },
  },
  golang: {
    purlType: 'golang',
    kind: 'language',
    advisories: { osv: ['Go'], versionScheme: 'go', lookup: 'go-module', names: 'exact' },
    scannerTypes: { anchore: ['go-module'], trivy: ['gobinary', 'gomod'] },
  },
  cargo: {
    purlType: 'cargo',
    kind: 'language',
    advisories: { osv: ['crates.io'], versionScheme: 'semver', lookup: 'binary', names: 'exact' },
    scannerTypes: { anchore: ['rust-crate'], trivy: ['cargo', 'rust-binary'] },
  },
  gem: {
    purlType: 'gem',
    kind: 'language',
    advisories: { osv: ['RubyGems'], versionScheme: 'rubygems', lookup: 'binary', names: 'exact' },
    scannerTypes: { anchore: ['gem'], trivy: ['gemspec', 'bundler'] },
  },
  nuget: {
    purlType: 'nuget',
    kind: 'language',
    advisories: { osv: ['NuGet'], versionScheme: 'nuget', lookup: 'binary', names: 'lowercase' },
    scannerTypes: { anchore: ['dotnet'], trivy: ['nuget', 'dotnet-core'] },
  },
  composer: {
    purlType: 'composer',
    kind: 'language',
    advisories: { osv: ['Packagist'], versionScheme: 'packagist', lookup: 'binary', names: 'lowercase' },
    scannerTypes: { anchore: ['php-composer'], trivy: ['composer'] },
  },
} as const satisfies Record<PackageType, Ecosystem>;

export const PACKAGE_TYPES = Object.keys(ECOSYSTEMS) as PackageType[];

/** The types the distribution's package manager installs (dpkg, apk, rpm), as the table says. */
export type OsPackageType = { [T in PackageType]: (typeof ECOSYSTEMS)[T]['kind'] extends 'os' ? T : never }[PackageType];
