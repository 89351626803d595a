// An organisation's registry integration: a provider whose push notifications start scans at
// POST /api/hooks/{id}, its secret (sealed: GitHub signs with it, so it must be opened, not
// only compared), what it scans, and the records that make a hook safe to receive twice.
// Stored by an IntegrationStore (functions/adapters/dynamodb/integration-repository.ts).
import type { ProviderKind } from './providers/provider.ts';

export interface PushFilters {
  /** Globs over the repository path (acme/**, library/nginx); any match admits it. */
  repositories: string[];
  /** Globs over the tag (v*, release-*); any match admits it. Untagged pushes (platform manifests, attestations) never reach it: the providers pass them over. */
  tags: string[];
}

export interface Integration {
  id: string;
  orgId: string;
  provider: ProviderKind;
  name: string;
  filters: PushFilters;
  /** What its scans run; null: the deployment's default, as POST /api/scans without `scanners`. */
  scanners: string[] | null;
  /** The same image pushed again within this window (under another tag, or a redelivery) starts no second scan. */
  dedupWindowSeconds: number;
  active: boolean;
  sealedSecret: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** One push that started a scan, kept for the de-duplication window: later tags of the same image join it. */
export interface PushRecord {
  /** Empty while the push that opened the window is still starting its scan. */
  scanId: string;
  /** Every tag the image was pushed under within the window, the scan's own first. */
  tags: string[];
  windowEndsAt: string;
}

export interface IntegrationStore {
  /** Creates it and the hook's pointer to its organisation, together. */
  createIntegration(integration: Integration): Promise<void>;
  putIntegration(integration: Integration): Promise<void>;
  getIntegration(orgId: string, integrationId: string): Promise<Integration | undefined>;
  /** The integration a hook URL names, whatever its organisation: the hook has no other credential. */
  findIntegration(integrationId: string): Promise<Integration | undefined>;
  listIntegrations(orgId: string): Promise<Integration[]>;
  deleteIntegration(orgId: string, integrationId: string): Promise<Integration | undefined>;
  /**
   * Records that a hook event was received: false when it already was (a provider's redelivery).
   * Kept a week.
   */
  claimHookEvent(orgId: string, integrationId: string, eventId: string, at: Date): Promise<boolean>;
  /** Forgets a claimed event whose processing failed, so that the provider's retry is processed. */
  releaseHookEvent(orgId: string, integrationId: string, eventId: string): Promise<void>;
  /**
   * The push of `imageKey` (an image by digest, or by tag when the provider names no digest):
   * `{ started: true }` when no window is open for it, so this push may start a scan and must then
   * call recordPushScan; otherwise the open window's record, with `tag` added to its tags.
   */
  claimPush(
    orgId: string,
    imageKey: string,
    tag: string | null,
    at: Date,
    windowSeconds: number,
  ): Promise<{ started: true } | { started: false; record: PushRecord }>;
  /** The scan a claimed push started; null: it could not start one, and the window is closed again. */
  recordPushScan(orgId: string, imageKey: string, scanId: string | null): Promise<void>;
  /** The tags pushed for a scan's image within its window: its own and those that joined it. */
  getPushRecord(orgId: string, imageKey: string): Promise<PushRecord | undefined>;
}
