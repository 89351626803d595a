// The composition root of the webhook delivery job (functions/jobs/webhook-delivery): the
// webhook store and queue, the sealing key (to open signing secrets) and the egress policy's
// sender; it authenticates no one.
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { EgressWebhookSender } from '#adapters/http/webhook-sender.ts';
import type { DeliveryDeps } from '#domain/webhooks/deliver.ts';
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import { secretSealer, webhookPorts } from './aws-ports.ts';
import { configuration, JOB_ENVIRONMENT, LOCAL_ONLY_ENVIRONMENT } from './environment.ts';

const config = configuration([...JOB_ENVIRONMENT['webhook-delivery'], ...LOCAL_ONLY_ENVIRONMENT]);
let built: DeliveryDeps | undefined;

export function webhookDeliveryDependencies(): DeliveryDeps {
  if (built) return built;
  const { webhooks, webhookQueue } = webhookPorts(
    documentClient(),
    config.required('TABLE_NAME'),
    () => config.required('WEBHOOK_QUEUE_URL'),
    () => config.required('WEBHOOK_DLQ_URL'),
  );
  built = {
    webhooks,
    queue: webhookQueue,
    sender: new EgressWebhookSender(egressPolicy(config.optional('HG_EGRESS_ALLOW'))),
    sealer: secretSealer({ arn: config.optional('HG_REGISTRY_KEY_ARN'), value: () => config.required('HG_REGISTRY_KEY') }),
    now: () => new Date(),
  };
  return built;
}
