// The port for what follows findings across scans: per-tag first sightings, per-repository
// triage, the organisation's SLA policy and the audit log.
import type { Finding } from '../findings/finding.ts';
import type { SlaPolicy } from './sla-policy.ts';
import type { CurrentScan } from '../images/catalogue.ts';
import type { CatalogueTag } from '../vulnerabilities/vulnerability-catalogue.ts';
import type { LatestScan } from '../watch/tag-state.ts';

export type Triage = Finding['triage'];

/** One audited change. Never holds a secret: no key, token, password or hash of one. */
export interface AuditEntry {
  at: string;
  actor: string;
  /** Where the request came from; absent for changes HarborGuard makes itself (triage.reopen). */
  sourceIp?: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

export interface TriageStore {
  /** First sighting per finding key among scans of one image tag. */
  firstSightings(orgId: string, tagId: string): Promise<Map<string, string>>;
  /**
   * Records first sightings of keys the tag had not shown before. Two uploads of one tag racing
   * on a new key may each write theirs; either time is then a fair first sighting.
   */
  recordFirstSightings(orgId: string, tagId: string, sightings: Map<string, string>): Promise<void>;
  /**
   * Makes the scan the tag's latest unless a later-finished one is (uploads can arrive out of
   * order: then undefined); the one it replaced, to resolve what the newer scan no longer reports,
   * and the tag's repository name and tag. Also the tag's
   * place in the watched-tags index (functions/domain/watch/tag-state.ts), and, when it is the
   * repository's most recently scanned tag, the repository's summary in the catalogue
   * (functions/domain/images/catalogue.ts).
   */
  swapLatestScan(orgId: string, tagId: string, scan: CurrentScan): Promise<{ replaced: LatestScan | undefined; name: string; tag: string } | undefined>;
  /**
   * Makes `current` the tag's open findings in the organisation's vulnerability catalogue
   * (functions/domain/vulnerabilities/vulnerability-catalogue.ts) in place of `previous`, the
   * findings of the scan it replaced; writes only what changed.
   */
  replaceCurrentFindings(
    orgId: string,
    tag: CatalogueTag,
    previous: { scanId: string; findings: Finding[] } | undefined,
    current: { scanId: string; findings: Finding[] },
  ): Promise<void>;
  /** A triage change reaches the catalogue when the finding is one of its tag's current ones. */
  updateCurrentTriage(orgId: string, tagId: string, finding: Finding): Promise<void>;

  repositoryTriage(orgId: string, repository: string): Promise<Map<string, Triage>>;
  putRepositoryTriage(orgId: string, repository: string, key: string, triage: Triage): Promise<void>;

  getSlaPolicy(orgId: string): Promise<SlaPolicy | undefined>;
  putSlaPolicy(orgId: string, policy: SlaPolicy): Promise<void>;

  appendAudit(orgId: string, entry: AuditEntry): Promise<void>;
  listAudit(orgId: string, limit: number, cursor?: string): Promise<{ entries: AuditEntry[]; next?: string }>;
}
