// Everything that holds data and must outlive a redeploy: the table, the artifact bucket, the
// scan and ingest queues and their dead-letter queues, and the session-signing secret. Stateless stacks
// reference these; nothing here depends on them.
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, StorageClass, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { DEFAULT_SNAPSHOT_KEY } from '#shared/snapshots/snapshot-location.ts';
import type { Construct } from 'constructs';
import { ENVELOPE_UPLOAD_PREFIX } from '../../functions/domain/scans/envelope-upload.ts';
import { LAYER_CACHE_PREFIX } from '../../functions/domain/scans/layer-cache-urls.ts';
import { designTable } from '../constructs/design-table.ts';
import type { Settings } from '../settings.ts';

/** Object key prefixes in the artifact bucket: per-scan results, the advisory snapshots, and large envelopes on their way to ingest. */
export const ARTIFACT_PREFIX = 'orgs/';
export const ADVISORY_PREFIX = 'advisories/';
export const UPLOAD_PREFIX = ENVELOPE_UPLOAD_PREFIX;
/** A layer-cache entry lives this long after it was last written (a PUT replaces it and restarts the count; a hit does not). */
export const LAYER_CACHE_EXPIRATION = Duration.days(30);

/**
 * Consumers of the scan queue run at most this long; SQS's visibility timeout must be at least
 * six times a consumer's timeout, so that a batch retried by Lambda is not delivered twice.
 */
export const SCAN_QUEUE_CONSUMER_TIMEOUT = Duration.seconds(60);
export const SCAN_QUEUE_VISIBILITY = Duration.seconds(SCAN_QUEUE_CONSUMER_TIMEOUT.toSeconds() * 6);
/**
 * Deliveries before a message is parked in the dead-letter queue. The dispatcher defers a scan
 * that would exceed the running caps by failing its message, so every visibility period a scan
 * waits counts as a delivery: the queue keeps a message as long as the reaper lets a scan wait
 * (maxQueuedSeconds), plus two deliveries of slack, so back-pressure never looks like a dead letter.
 */
export const scanQueueMaxReceives = (settings: Settings) => Math.ceil(settings.maxQueuedSeconds / SCAN_QUEUE_VISIBILITY.toSeconds()) + 2;

/**
 * The ingest job's timeout: a 200,000-package, 100,000-vulnerability envelope, with room. Its
 * queue's visibility timeout is six times that (as for the scan queue); a request that fails
 * five times (each attempt repeatable, all or nothing) is parked in its dead-letter queue.
 */
export const INGEST_QUEUE_CONSUMER_TIMEOUT = Duration.minutes(5);
export const INGEST_QUEUE_VISIBILITY = Duration.seconds(INGEST_QUEUE_CONSUMER_TIMEOUT.toSeconds() * 6);
export const INGEST_QUEUE_MAX_RECEIVES = 5;
/** A batch of deliveries, each with a 10 s budget, fanned out in parallel. */
export const WEBHOOK_QUEUE_CONSUMER_TIMEOUT = Duration.minutes(1);
export const WEBHOOK_QUEUE_VISIBILITY = Duration.seconds(WEBHOOK_QUEUE_CONSUMER_TIMEOUT.toSeconds() * 6);
/** Planning a run lists every watched tag (100,000 in a few tens of seconds); a batch of 50 re-matches in seconds. */
export const WATCH_QUEUE_CONSUMER_TIMEOUT = Duration.minutes(5);
export const WATCH_QUEUE_VISIBILITY = Duration.seconds(WATCH_QUEUE_CONSUMER_TIMEOUT.toSeconds() * 6);

export interface StatefulStackProps extends StackProps {
  settings: Settings;
}

export class StatefulStack extends Stack {
  readonly table: Table;
  readonly artifacts: Bucket;
  readonly scanQueue: Queue;
  readonly scanDeadLetterQueue: Queue;
  readonly ingestQueue: Queue;
  readonly ingestDeadLetterQueue: Queue;
  readonly webhookQueue: Queue;
  readonly webhookDeadLetterQueue: Queue;
  readonly watchQueue: Queue;
  readonly watchDeadLetterQueue: Queue;
  readonly sessionSecret: Secret;
  readonly registryKey: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.table = designTable(this, 'Table');
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'For npm run deploy:bootstrap -- --table <this>' });

    // S3 server access logs of the artifact bucket: who read or deleted which scan's results.
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.artifacts = new Bucket(this, 'Artifacts', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'scan-artifacts',
          prefix: ARTIFACT_PREFIX,
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(settings.artifactInfrequentAccessDays) }],
          expiration: Duration.days(settings.artifactExpirationDays),
        },
        // Snapshots are replaced by the updater; old ones are only kept for a rollback.
        { id: 'advisory-snapshots', prefix: ADVISORY_PREFIX, expiration: Duration.days(30) },
        // Envelopes uploaded through pre-signed URLs are read once by ingest (or again on a retry).
        { id: 'envelope-uploads', prefix: UPLOAD_PREFIX, expiration: Duration.days(1) },
        // A layer-cache entry goes 30 days after its last write, hits or not: the next scan reads that layer again and writes it anew.
        { id: 'layer-cache', prefix: LAYER_CACHE_PREFIX, expiration: LAYER_CACHE_EXPIRATION },
      ],
    });

    this.scanDeadLetterQueue = new Queue(this, 'ScanDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.scanQueue = new Queue(this, 'ScanQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: SCAN_QUEUE_VISIBILITY,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.scanDeadLetterQueue, maxReceiveCount: scanQueueMaxReceives(settings) },
    });
    // Uploads accepted with 202, for the ingest job (functions/jobs/ingest/).
    this.ingestDeadLetterQueue = new Queue(this, 'IngestDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.ingestQueue = new Queue(this, 'IngestQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: INGEST_QUEUE_VISIBILITY,
      // The envelope waits under uploads/ for a day; a request outliving it could not be ingested.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.ingestDeadLetterQueue, maxReceiveCount: INGEST_QUEUE_MAX_RECEIVES },
    });

    // Webhook fan-outs and attempts for the delivery job (functions/jobs/webhook-delivery/);
    // retries are delayed messages. Deliveries that exhausted their retries are sent to the
    // dead-letter queue by the job; messages it failed on three times are redriven there.
    this.webhookDeadLetterQueue = new Queue(this, 'WebhookDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.webhookQueue = new Queue(this, 'WebhookQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: WEBHOOK_QUEUE_VISIBILITY,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.webhookDeadLetterQueue, maxReceiveCount: 3 },
    });

    // A published advisory snapshot starts a re-match run (the rule below). Set on the bucket
    // itself: `eventBridgeEnabled` would deploy a custom resource and its Lambda to do the same.
    (this.artifacts.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    // Re-match runs to plan and their batches, for the re-match job (functions/jobs/watch/).
    this.watchDeadLetterQueue = new Queue(this, 'WatchDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.watchQueue = new Queue(this, 'WatchQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: WATCH_QUEUE_VISIBILITY,
      // A run older than a day is superseded by the next snapshot's.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.watchDeadLetterQueue, maxReceiveCount: 5 },
    });
    // The advisory updater published a snapshot: plan a re-match run. The event's id names the
    // request, so a redelivered event plans the same run once (docs/WATCH.md).
    new Rule(this, 'SnapshotPublished', {
      description: 'A new HarborGuard advisory snapshot starts a re-match run',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.artifacts.bucketName] }, object: { key: [DEFAULT_SNAPSHOT_KEY] } },
      },
      targets: [
        new SqsQueue(this.watchQueue, {
          message: RuleTargetInput.fromObject({ kind: 'plan', requestId: EventField.eventId, requestedAt: EventField.time, trigger: { kind: 'snapshot' } }),
          retryAttempts: 8,
        }),
      ],
    });

    this.sessionSecret = this.handRotatedSecret(
      'SessionSecret',
      'HarborGuard: signs next-auth.session-token cookies',
      'Rotating the signing secret signs every user out, so it is rotated by hand (docs/DEPLOY.md), not on a schedule',
    );
    // Seals registry passwords at rest (functions/domain/registries/secret-box.ts).
    this.registryKey = this.handRotatedSecret(
      'RegistryCredentialKey',
      'HarborGuard: key that seals private-registry passwords (AES-256-GCM)',
      'Rotating this key makes every stored registry password unreadable until admins enter it again, so it is rotated by hand, not on a schedule',
    );
  }

  /** A 64-character secret generated by Secrets Manager, kept on stack deletion, and rotated by hand for `whyByHand`. */
  private handRotatedSecret(id: string, description: string, whyByHand: string): Secret {
    const secret = new Secret(this, id, {
      description,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: `${whyByHand}; it is generated by Secrets Manager and never leaves it` });
    return secret;
  }
}
