// The keys of everything the scan store writes (docs/DYNAMODB.md, "Items"): scans, tags and
// counters under the organisation's partition, findings under the scan's own partition.

export const orgPk = (orgId: string) => `ORG#${orgId}`;
export const scanKey = (orgId: string, scanId: string) => ({ pk: orgPk(orgId), sk: `SCAN#${scanId}` });
export const tagKey = (orgId: string, tagId: string) => ({ pk: orgPk(orgId), sk: `TAG#${tagId}` });
/** One tag id per image reference: the uniqueness record created with the tag. */
export const tagRefKey = (orgId: string, name: string, tagOrDigest: string) => ({ pk: orgPk(orgId), sk: `TAGREF#${name}:${tagOrDigest}` });
export const findingsPk = (orgId: string, scanId: string) => `SCANDATA#${orgId}#${scanId}`;
export const findingKey = (orgId: string, scanId: string, findingId: string) => ({ pk: findingsPk(orgId, scanId), sk: `FINDING#${findingId}` });
/** While one envelope is being ingested into the scan (ingest-claims.ts). */
export const ingestClaimKey = (orgId: string, scanId: string) => ({ pk: `INGESTCLAIM#${orgId}#${scanId}`, sk: 'INGESTCLAIM' });
export const orgCountersKey = (orgId: string) => ({ pk: orgPk(orgId), sk: 'COUNTERS#SCANS' });
/** Deployment-wide counters: only the running count matters there (the global concurrency cap). */
export const DEPLOYMENT_COUNTERS_KEY = { pk: 'DEPLOYMENT', sk: 'COUNTERS#SCANS' };

/** The organisation and scan ids back from a scan item's key (the reaper's index holds only keys). */
export function scanIdsOfKey(item: Record<string, unknown>): { orgId: string; scanId: string } {
  return { orgId: (item.pk as string).slice('ORG#'.length), scanId: (item.sk as string).slice('SCAN#'.length) };
}
