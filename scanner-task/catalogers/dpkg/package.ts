// dpkg records as packages; the purl's namespace and distro come from os-release once it is known.
import type { OsInfo, PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';
import type { DpkgRecord } from './parse-status.ts';

export function dpkgPurl(draft: Pick<PackageDraft, 'name' | 'version' | 'arch'>, os: OsInfo | undefined): string {
  const namespace = os?.id ?? 'debian';
  return buildPurl({
    type: 'deb',
    namespace,
    name: draft.name,
    version: draft.version,
    qualifiers: { arch: draft.arch, distro: os?.versionId ? `${namespace}-${os.versionId}` : undefined },
  });
}

export function dpkgPackage(record: DpkgRecord): PackageDraft {
  return {
    name: record.name,
    version: record.version,
    type: 'deb',
    purl: dpkgPurl(record, undefined),
    licenses: [],
    sourceName: record.sourceName,
    sourceVersion: record.sourceVersion,
    ...(record.arch ? { arch: record.arch } : {}),
  };
}
