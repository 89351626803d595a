// ECR pushes into a HarborGuard integration: an EventBridge rule on "ECR Image Action" PUSH
// SUCCESS in this account and region, sent through an API destination to the integration's
// hook URL with its secret in X-HarborGuard-Token (the ecr provider,
// functions/domain/integrations/providers/ecr.ts). The secret lives in Secrets Manager, put
// there by the admin after creating the integration; EventBridge's connection reads it, so it
// is never in the template. Failed deliveries are retried for a day, then kept in a queue.
import { Duration, SecretValue, Validations } from 'aws-cdk-lib';
import { ApiDestination, Authorization, Connection, HttpMethod, Rule } from 'aws-cdk-lib/aws-events';
import { ApiDestination as ApiDestinationTarget } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const ECR_PUSH_PATTERN = {
  source: ['aws.ecr'],
  detailType: ['ECR Image Action'],
  detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] },
};

export interface EcrPushHookProps {
  /** The API's base URL, with its trailing slash. */
  apiUrl: string;
  integrationId: string;
  /** The Secrets Manager secret (name or ARN) whose value is the integration's secret. */
  secretName: string;
}

export class EcrPushHook extends Construct {
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EcrPushHookProps) {
    super(scope, id);
    const connection = new Connection(this, 'Connection', {
      description: 'HarborGuard integration secret for ECR push notifications',
      authorization: Authorization.apiKey('X-HarborGuard-Token', SecretValue.secretsManager(props.secretName)),
    });
    const destination = new ApiDestination(this, 'Destination', {
      connection,
      endpoint: `${props.apiUrl}api/hooks/${props.integrationId}`,
      httpMethod: HttpMethod.POST,
      // The hook's own limit is 120 a minute per integration: stay under it.
      rateLimitPerSecond: 2,
    });
    this.deadLetterQueue = new Queue(this, 'DeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "It is the rule target's dead-letter queue (EventBridge's, not another queue's), so it has none of its own",
    });
    this.rule = new Rule(this, 'Rule', {
      description: 'ECR image pushes start HarborGuard scans',
      eventPattern: ECR_PUSH_PATTERN,
      targets: [new ApiDestinationTarget(destination, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
  }
}
