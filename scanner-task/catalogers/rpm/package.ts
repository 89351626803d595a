// rpm records as packages: version is [epoch:]version-release, source from the SRPM file name.
import type { OsInfo, PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';
import type { RpmRecord } from './parse-header.ts';

// name-version-release.src.rpm → name, version-release
function sourceOf(sourceRpm: string | undefined): { name: string; version: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm ?? '');
  return match ? { name: match[1]!, version: `${match[2]}-${match[3]}` } : undefined;
}

export function rpmPurl(draft: PackageDraft & { epoch?: number }, os: OsInfo | undefined): string {
  const [, epoch, rest] = /^(?:(\d+):)?(.*)$/.exec(draft.version)!;
  return buildPurl({
    type: 'rpm',
    namespace: os?.id ?? 'redhat',
    name: draft.name,
    version: rest!,
    qualifiers: { arch: draft.arch, epoch, distro: os?.versionId ? `${os.id}-${os.versionId}` : undefined },
  });
}

export function rpmPackage(record: RpmRecord): PackageDraft {
  const version = `${record.epoch !== undefined ? `${record.epoch}:` : ''}${record.version}-${record.release}`;
  const source = sourceOf(record.sourceRpm);
  const draft: PackageDraft = {
    name: record.name,
    version,
    type: 'rpm',
    purl: '',
    licenses: record.license ? [record.license] : [],
    ...(record.arch ? { arch: record.arch } : {}),
    ...(source ? { sourceName: source.name, sourceVersion: `${record.epoch !== undefined ? `${record.epoch}:` : ''}${source.version}` } : {}),
  };
  return { ...draft, purl: rpmPurl(draft, undefined) };
}
