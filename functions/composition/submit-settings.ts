// How a function that submits scans reads the submission settings (the scanners in the task
// image, the queue deadline, the egress policy, a local deployment's sources folder): the API's
// scans and hooks groups, and the re-match job's registry checks.
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import type { PipelineSettings } from '#domain/pipeline/pipeline-settings.ts';
import type { Configuration } from './environment.ts';

type SubmitVariable = 'HG_MAX_QUEUED_SECONDS' | 'HG_SCANNERS' | 'HG_LOCAL_SOURCES_DIR' | 'HG_EGRESS_ALLOW';

export function submitSettings(
  config: Configuration<SubmitVariable>,
): Pick<PipelineSettings, 'maxQueuedMs' | 'availableScanners' | 'localSourcesDir' | 'egress'> {
  const localSourcesDir = config.optional('HG_LOCAL_SOURCES_DIR');
  return {
    maxQueuedMs: config.positive('HG_MAX_QUEUED_SECONDS', 3600) * 1000,
    availableScanners: config.list('HG_SCANNERS', 'harborguard'),
    ...(localSourcesDir ? { localSourcesDir } : {}),
    egress: egressPolicy(config.optional('HG_EGRESS_ALLOW')),
  };
}
