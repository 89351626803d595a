// Go modules as packages: purl namespace is the module path up to its last element.
import type { PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';
import type { BuildInfo } from './parse-buildinfo.ts';

function goPackage(path: string, version: string): PackageDraft {
  const slash = path.lastIndexOf('/');
  return {
    name: path,
    version,
    type: 'golang',
    purl: buildPurl({ type: 'golang', ...(slash > 0 ? { namespace: path.slice(0, slash) } : {}), name: path.slice(slash + 1), version }),
    licenses: [],
  };
}

export function goPackages(info: BuildInfo): PackageDraft[] {
  const packages: PackageDraft[] = [];
  // The toolchain itself: its standard library is where many Go advisories land.
  packages.push(goPackage('stdlib', info.goVersion.replace(/^go/, 'v').replace(/\s.*$/, '')));
  if (info.main && info.main.version !== '(devel)') packages.push(goPackage(info.main.path, info.main.version));
  else if (info.main) packages.push(goPackage(info.main.path, '(devel)'));
  for (const dep of info.deps) {
    // A module replacement is what was really built in; a local directory keeps the required version.
    const local = !dep.replacedBy || dep.replacedBy.path.startsWith('.') || dep.replacedBy.path.startsWith('/') || dep.replacedBy.version === '(devel)';
    const used = local ? dep : dep.replacedBy!;
    packages.push(goPackage(used.path, used.version));
  }
  return packages;
}
