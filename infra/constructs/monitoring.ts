// Alarms (API 5xx, job errors, dead letters, failed scans, failed advisory updates) to one SNS
// topic, and a dashboard with the same signals side by side.
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoringProps {
  api: RestApi;
  httpFunctions: Map<string, IFunction>;
  jobFunctions: Map<string, IFunction>;
  scanQueue: IQueue;
  deadLetterQueue: IQueue;
  ingestDeadLetterQueue: IQueue;
  webhookDeadLetterQueue: IQueue;
  watchDeadLetterQueue: IQueue;
  /** ECR push notifications EventBridge could not deliver for a day, when the ECR hook is deployed. */
  ecrPushDeadLetterQueue?: IQueue;
  scannerFailures: Rule;
  /** The updater's schedule (did RunTask fail?) and the rule matching its failed tasks. */
  advisoryUpdater: { schedule: Rule; failures: Rule };
  alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', {
      displayName: 'HarborGuard alarms',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const ruleMetric = (rule: Rule, metricName: 'TriggeredRules' | 'FailedInvocations', period: Duration) =>
      new Metric({ namespace: 'AWS/Events', metricName, dimensionsMap: { RuleName: rule.ruleName }, statistic: 'Sum', period });
    const scansFailed = ruleMetric(props.scannerFailures, 'TriggeredRules', Duration.minutes(15));
    // A failed task, or a run EventBridge could not start at all (RunTask refused, no capacity).
    const updatesFailed = ruleMetric(props.advisoryUpdater.failures, 'TriggeredRules', FIVE_MINUTES);
    const updatesNotStarted = ruleMetric(props.advisoryUpdater.schedule, 'FailedInvocations', FIVE_MINUTES);
    this.alarm('Api5xx', props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), 5, 'API answered 5 or more 5xx in 5 minutes');
    this.alarm(
      'DeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'Scan requests landed in the dead-letter queue',
    );
    this.alarm(
      'IngestDeadLetters',
      props.ingestDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'Uploads the ingest job failed five times landed in its dead-letter queue',
    );
    this.alarm(
      'WebhookDeadLetters',
      props.webhookDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'Webhook deliveries failed every retry and landed in their dead-letter queue',
    );
    this.alarm(
      'WatchDeadLetters',
      props.watchDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'Re-match runs or batches failed five times and landed in their dead-letter queue: those tags were not re-matched',
    );
    if (props.ecrPushDeadLetterQueue) {
      this.alarm(
        'EcrPushDeadLetters',
        props.ecrPushDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        1,
        'ECR push notifications could not reach the hook for a day: those pushes started no scan',
      );
    }
    this.alarm('ScansFailed', scansFailed, 5, '5 or more scanner tasks failed in 15 minutes');
    this.alarm('AdvisoryUpdateFailed', updatesFailed, 1, 'The advisory updater task failed: the snapshot scanner tasks read was not refreshed');
    this.alarm('AdvisoryUpdateNotStarted', updatesNotStarted, 1, 'EventBridge could not start the advisory updater task (RunTask failed)');
    for (const [name, fn] of props.jobFunctions) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `Job ${name} failed`);
    }

    const functions = [...props.httpFunctions, ...props.jobFunctions];
    new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [
              props.api.metricCount({ period: FIVE_MINUTES }),
              props.api.metricClientError({ period: FIVE_MINUTES }),
              props.api.metricServerError({ period: FIVE_MINUTES }),
            ],
          }),
          new GraphWidget({
            title: 'API latency (p50, p99)',
            left: [props.api.metricLatency({ statistic: 'p50' }), props.api.metricLatency({ statistic: 'p99' })],
          }),
        ],
        [
          new GraphWidget({ title: 'Function errors', left: functions.map(([name, fn]) => fn.metricErrors({ label: name, period: FIVE_MINUTES })) }),
          new GraphWidget({ title: 'Function duration p99', left: functions.map(([name, fn]) => fn.metricDuration({ label: name, statistic: 'p99' })) }),
        ],
        [
          new GraphWidget({
            title: 'Scan queue',
            left: [props.scanQueue.metricApproximateNumberOfMessagesVisible(), props.scanQueue.metricApproximateAgeOfOldestMessage()],
            right: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters' })],
          }),
          new GraphWidget({ title: 'Failed scanner tasks', left: [scansFailed] }),
          new GraphWidget({
            title: 'Failed advisory updates',
            left: [updatesFailed.with({ label: 'task failed' }), updatesNotStarted.with({ label: 'not started' })],
          }),
        ],
      ],
    });
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
