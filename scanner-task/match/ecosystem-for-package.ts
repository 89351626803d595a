// Which OSV ecosystem(s), name and version an installed package is looked up under.
// OS packages depend on the distribution release; Debian and Alpine data is keyed by
// the source package, Red Hat-family data by the binary rpm.
import type { OsInfo, Package } from '../model/package.ts';

export interface Lookup {
  ecosystems: string[];
  name: string;
  version: string;
}

const LANGUAGE_ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  cargo: 'crates.io',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
};

const major = (versionId: string): string => versionId.split('.', 1)[0] ?? versionId;
const majorMinor = (versionId: string): string => versionId.split('.').slice(0, 2).join('.');

// Red Hat's OSV ecosystems name a product stream: "Red Hat:enterprise_linux:9::baseos",
// "Red Hat:rhel_eus:9.2::appstream". The image's major release selects the streams.
function redHatEcosystems(versionId: string, known: readonly string[]): string[] {
  const want = major(versionId);
  return known.filter((e) => {
    const parts = e.split(':');
    return parts[0] === 'Red Hat' && parts.length > 2 && major(parts[2] ?? '') === want;
  });
}

// Ubuntu's: "Ubuntu:22.04:LTS", "Ubuntu:24.10"; "Ubuntu:Pro:…" needs a subscription the image lacks.
function ubuntuEcosystems(versionId: string, known: readonly string[]): string[] {
  return known.filter((e) => {
    const parts = e.split(':');
    return parts[0] === 'Ubuntu' && parts[1] === versionId;
  });
}

export function osEcosystems(os: OsInfo | undefined, known: readonly string[]): string[] {
  if (!os?.versionId) return [];
  switch (os.id) {
    case 'debian':
      return [`Debian:${major(os.versionId)}`];
    case 'ubuntu':
      return ubuntuEcosystems(os.versionId, known);
    case 'alpine':
      return [`Alpine:v${majorMinor(os.versionId)}`];
    case 'rhel':
      return redHatEcosystems(os.versionId, known);
    case 'rocky':
      return [`Rocky Linux:${major(os.versionId)}`];
    case 'almalinux':
      return [`AlmaLinux:${major(os.versionId)}`];
    default:
      return [];
  }
}

// go version "go1.22" / "go1.22rc1" become "v1.22" / "v1.22rc1"; OSV ranges for stdlib
// are full SemVer ("1.22.0", "1.22.0-rc.1").
export function goToolchainVersion(version: string): string {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(version);
  if (!m) return version;
  return `${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ? `-${m[4]}.${m[5]}` : ''}`;
}

export function lookupFor(pkg: Package, os: OsInfo | undefined, known: readonly string[]): Lookup | undefined {
  switch (pkg.type) {
    case 'deb':
      // Source versions carry no binNMU suffix ("+b13") and no binary-only epoch.
      return { ecosystems: osEcosystems(os, known), name: pkg.sourceName ?? pkg.name, version: pkg.sourceVersion ?? pkg.version };
    case 'apk':
      return { ecosystems: osEcosystems(os, known), name: pkg.sourceName ?? pkg.name, version: pkg.version };
    case 'rpm':
      return { ecosystems: osEcosystems(os, known), name: pkg.name, version: pkg.version };
    case 'golang':
      if (pkg.name === 'stdlib') return { ecosystems: ['Go'], name: 'stdlib', version: goToolchainVersion(pkg.version) };
      return { ecosystems: ['Go'], name: pkg.name, version: pkg.version };
    default: {
      const ecosystem = LANGUAGE_ECOSYSTEMS[pkg.type];
      return ecosystem ? { ecosystems: [ecosystem], name: pkg.name, version: pkg.version } : undefined;
    }
  }
}
