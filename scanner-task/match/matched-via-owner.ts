// A language package whose files an OS package installed (Debian's python3-requests owning
// requests' egg-info) is that OS package's code: the distribution backports fixes without changing
// the upstream version, so the language ecosystem's advisories would report what is already fixed.
// Such a package is matched through its owner's advisories only, as trivy does, and says so.
import type { MatchedVia, OsPackageType, PackageType } from '#shared/packages/package.ts';

export function matchedViaOwner(type: PackageType, owner: { type: OsPackageType; name: string }): MatchedVia {
  return {
    type: owner.type,
    name: owner.name,
    reason: `installed by the ${owner.type} package ${owner.name}: matched through that package's advisories, not ${type}'s, since a distribution backports fixes without changing the upstream version`,
  };
}
