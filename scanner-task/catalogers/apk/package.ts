// apk packages: origin is the source (aport) they were built from.
import type { OsInfo, PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';

export function apkPurl(draft: Pick<PackageDraft, 'name' | 'version' | 'arch'>, os: OsInfo | undefined): string {
  return buildPurl({
    type: 'apk',
    namespace: os?.id ?? 'alpine',
    name: draft.name,
    version: draft.version,
    qualifiers: { arch: draft.arch, distro: os?.versionId ? `${os.id}-${os.versionId}` : undefined },
  });
}

export function apkPackage(name: string, version: string, arch: string | undefined, origin: string | undefined, license: string | undefined): PackageDraft {
  const draft: PackageDraft = {
    name,
    version,
    type: 'apk',
    purl: '',
    licenses: license ? [license] : [],
    ...(arch ? { arch } : {}),
    sourceName: origin ?? name,
    sourceVersion: version,
  };
  return { ...draft, purl: apkPurl(draft, undefined) };
}
