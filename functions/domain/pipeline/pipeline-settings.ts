// How the scan pipeline behaves in one deployment: limits, deadlines and what it can run.
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import type { RunningCaps } from '../scans/scan-store.ts';

export interface PipelineSettings {
  /** The base URL scanner tasks upload to (the API's own URL). */
  apiUrl: string;
  /** How long a started scan may run before the reaper fails it. */
  scanTimeoutMs: number;
  /** How long a scan may wait in the queue before the reaper fails it. */
  maxQueuedMs: number;
  caps: RunningCaps;
  /** The scanners this deployment's task image can run. */
  availableScanners: readonly string[];
  /**
   * Local deployments only (`npm start`): the folder local image sources (oci:, oci-archive:,
   * docker-archive:) must lie in. Unset, as in every AWS deployment, they are refused.
   */
  localSourcesDir?: string;
  /**
   * Where scans may connect (HG_EGRESS_ALLOW, the same setting the scanner task enforces):
   * references to refused literal addresses are turned away when they are submitted.
   */
  egress: EgressPolicy;
}
