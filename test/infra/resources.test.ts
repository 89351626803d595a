// The deployment's resources, stack by stack, against what issue 6 and docs/DEPLOY.md promise.
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition, TTL_ATTRIBUTE } from '../../functions/adapters/dynamodb/table-design.ts';
import { JOB_FUNCTIONS } from '../../functions/jobs/job-functions.ts';
import { ROUTE_GROUPS } from '../../functions/http/route-groups.ts';
import { DEFAULT_SETTINGS } from '../../infra/settings.ts';
import { ADVISORY_PREFIX, INGEST_QUEUE_CONSUMER_TIMEOUT, WATCH_QUEUE_CONSUMER_TIMEOUT } from '../../infra/stacks/stateful-stack.ts';
import { DEFAULT_SNAPSHOT_KEY } from '#shared/snapshots/snapshot-location.ts';
import { synthHarborGuard, type SynthesizedHarborGuard } from './support/synth-harbor-guard.ts';

let app: SynthesizedHarborGuard;
beforeAll(() => {
  app = synthHarborGuard();
});
afterAll(() => app.cleanup());

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
const resourcesOf = (template: SynthesizedHarborGuard['templates']['api']) => template.toJSON().Resources as Resources;
const logicalId = (fn: unknown) => app.stacks.api.getLogicalId((fn as { node: { defaultChild: CfnFunction } }).node.defaultChild);

describe('stateful stack', () => {
  it('deploys the table exactly as table-design.ts declares it, on demand, with PITR, TTL and protection', () => {
    const design = tableDefinition('x');
    const [table] = Object.values(resourcesOf(app.templates.stateful)).filter((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(table!.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table!.Properties.KeySchema).toEqual(design.KeySchema);
    expect(new Set(table!.Properties.AttributeDefinitions)).toEqual(new Set(design.AttributeDefinitions));
    const indexes = (table!.Properties.GlobalSecondaryIndexes as Array<Record<string, unknown>>).map(({ IndexName, KeySchema, Projection }) => ({
      IndexName,
      KeySchema,
      Projection,
    }));
    expect(indexes).toEqual(design.GlobalSecondaryIndexes!.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })));
    expect(table!.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table!.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    expect(table!.Properties.DeletionProtectionEnabled).toBe(true);
    expect([table!.DeletionPolicy, table!.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });

  it('keeps artifacts encrypted, private, SSL-only, logged, with lifecycle rules', () => {
    const t = app.templates.stateful;
    t.resourceCountIs('AWS::S3::Bucket', 2);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifacts/' }),
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
            Match.objectLike({ Prefix: 'orgs/', ExpirationInDays: 365, Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] }),
            Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 1 }),
            Match.objectLike({ Prefix: 'layer-cache/', ExpirationInDays: 30 }),
          ]),
        },
      }),
    });
    for (const policy of Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::S3::BucketPolicy')) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('has scan, ingest, webhook and watch queues with dead-letter queues, SSE and SSL only, visibility six times their consumer timeout', () => {
    const t = app.templates.stateful;
    const queues = Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::SQS::Queue');
    expect(queues).toHaveLength(8);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const queue = (q: { node: { defaultChild?: unknown } }) => resourcesOf(t)[app.stacks.stateful.getLogicalId(q.node.defaultChild as CfnElement)]!;
    const scanQueue = queue(app.stacks.stateful.scanQueue);
    const ingestQueue = queue(app.stacks.stateful.ingestQueue);
    const ingest = resourcesOf(app.templates.api)[logicalId(app.stacks.api.jobFunctions.get('ingest'))]!;
    expect(ingestQueue.Properties.VisibilityTimeout).toBe(6 * ingest.Properties.Timeout);
    expect(ingestQueue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(1);
    const webhookQueue = queue(app.stacks.stateful.webhookQueue);
    const delivery = resourcesOf(app.templates.api)[logicalId(app.stacks.api.jobFunctions.get('webhook-delivery'))]!;
    expect(webhookQueue.Properties.VisibilityTimeout).toBe(6 * delivery.Properties.Timeout);
    expect(webhookQueue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(1);
    const watchQueue = queue(app.stacks.stateful.watchQueue);
    const watch = resourcesOf(app.templates.api)[logicalId(app.stacks.api.jobFunctions.get('rematch'))]!;
    expect(watchQueue.Properties.VisibilityTimeout).toBe(6 * watch.Properties.Timeout);
    expect(watchQueue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(1);
    const dispatcher = resourcesOf(app.templates.api)[logicalId(app.stacks.api.jobFunctions.get('dispatcher'))]!;
    expect(scanQueue.Properties.VisibilityTimeout).toBe(6 * dispatcher.Properties.Timeout);
    // A scan deferred at capacity is redelivered every visibility period: it must outlive the
    // reaper's queue deadline before it could become a dead letter.
    expect(scanQueue.Properties.RedrivePolicy.maxReceiveCount * scanQueue.Properties.VisibilityTimeout).toBeGreaterThan(DEFAULT_SETTINGS.maxQueuedSeconds);
    // That deadline is set when the scans function queues the scan.
    const scans = resourcesOf(app.templates.api)[logicalId(app.stacks.api.httpFunctions.get('scans'))]!;
    expect(scans.Properties.Environment.Variables.HG_MAX_QUEUED_SECONDS).toBe(String(DEFAULT_SETTINGS.maxQueuedSeconds));
    expect(Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::SQS::QueuePolicy')).toHaveLength(8);
  });

  it('starts a re-match run when the updater publishes the snapshot: its S3 event goes to the watch queue as a run to plan', () => {
    const t = app.templates.stateful;
    t.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    const rules = Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule!.Properties.EventPattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { object: { key: [DEFAULT_SNAPSHOT_KEY] } },
    });
    const [target] = rule!.Properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [app.stacks.stateful.getLogicalId(app.stacks.stateful.watchQueue.node.defaultChild as CfnElement), 'Arn'] });
    // The message is what the re-match job parses (functions/domain/watch/watch-message.ts), named by the event's id.
    expect(target.InputTransformer.InputPathsMap).toMatchObject({ id: '$.id', time: '$.time' });
    expect(JSON.parse(target.InputTransformer.InputTemplate.replace(/<(id|time)>/g, '"x"'))).toEqual({
      kind: 'plan',
      requestId: 'x',
      requestedAt: 'x',
      trigger: { kind: 'snapshot' },
    });
  });

  it('generates the session secret in Secrets Manager; no template carries a secret value', () => {
    app.templates.stateful.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) }),
    });
    for (const template of Object.values(app.templates)) {
      const text = JSON.stringify(template.toJSON());
      expect(text).not.toMatch(/"SecretString"/);
      expect(text).not.toMatch(/"HG_SESSION_SECRET"/);
    }
  });
});

describe('scanner stack', () => {
  it('uses public subnets, no NAT gateway, and records rejected flows', () => {
    const t = app.templates.scanner;
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::Subnet', 2);
    t.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('locks the task security group: no ingress, egress to registry ports only', () => {
    const groups = Object.values(resourcesOf(app.templates.scanner)).filter((r) => r.Type === 'AWS::EC2::SecurityGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.Properties.SecurityGroupIngress).toBeUndefined();
    expect(
      groups[0]!.Properties.SecurityGroupEgress.map((rule: { FromPort: number; ToPort: number; IpProtocol: string }) => [
        rule.IpProtocol,
        rule.FromPort,
        rule.ToPort,
      ]),
    ).toEqual([
      ['tcp', 443, 443],
      ['tcp', 80, 80],
    ]);
  });

  it('runs the scanner as a Fargate task built from scanner-task/Dockerfile, read-only root, logs with retention', () => {
    const t = app.templates.scanner;
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '2048',
      Memory: '4096',
      EphemeralStorage: { SizeInGiB: 40 },
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'scanner',
          ReadonlyRootFilesystem: true,
          MountPoints: [{ ContainerPath: '/scratch', SourceVolume: 'scratch', ReadOnly: false }],
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    const images = Object.values(app.assetManifest('HarborGuard-Scanner').dockerImages);
    expect(images.map((image) => image.source)).toEqual([expect.objectContaining({ dockerFile: 'scanner-task/Dockerfile', platform: 'linux/amd64' })]);
  });

  it('tells the task where the published advisory snapshot is, under the prefix its role may read, its egress allowance, and nothing else', () => {
    const definition = resourcesOf(app.templates.scanner)[app.stacks.scanner.getLogicalId(app.stacks.scanner.taskDefinition.node.defaultChild as never)];
    const environment = definition!.Properties.ContainerDefinitions[0].Environment as Array<{ Name: string; Value: unknown }>;
    expect(environment.map((e) => e.Name).sort()).toEqual(['HARBORGUARD_DB_S3_BUCKET', 'HARBORGUARD_DB_S3_KEY', 'HG_EGRESS_ALLOW']);
    // The egress allowance is the task definition's own: public addresses only by default.
    expect(environment.find((e) => e.Name === 'HG_EGRESS_ALLOW')!.Value).toBe(DEFAULT_SETTINGS.scannerEgressAllow.join(','));
    expect(environment.find((e) => e.Name === 'HARBORGUARD_DB_S3_KEY')!.Value).toBe(DEFAULT_SNAPSHOT_KEY);
    expect(DEFAULT_SNAPSHOT_KEY.startsWith(ADVISORY_PREFIX)).toBe(true);
    // The artifact bucket, as the stateful stack exports it.
    const bucket = app.stacks.scanner.resolve(app.stacks.stateful.artifacts.bucketName);
    expect(environment.find((e) => e.Name === 'HARBORGUARD_DB_S3_BUCKET')!.Value).toEqual(bucket);
  });
});

describe('api stack', () => {
  it('serves every route of route-groups.ts through its group function (Lambda proxy), and nothing else', () => {
    const expected = ROUTE_GROUPS.flatMap((group) => group.routes.map((route) => `${route.method} ${route.resource} → ${group.name}`)).sort();
    const byFunction = new Map([...app.stacks.api.httpFunctions].map(([name, fn]) => [logicalId(fn), name]));
    const actual = app.stacks.api.httpApi.api.methods.map((method) => {
      const integration = app.stacks.api.resolve((method.node.defaultChild as unknown as { integration: { uri: unknown; type: string } }).integration);
      expect(integration.type).toBe('AWS_PROXY');
      const target = JSON.stringify(integration.uri).match(/"(http\w+)","Arn"/)![1]!;
      return `${method.httpMethod} ${method.resource.path} → ${byFunction.get(target)}`;
    });
    expect(actual.sort()).toEqual(expected);
    // CORS only where a web page needs it: none does (the dashboard is same-origin).
    expect(actual.some((route) => route.startsWith('OPTIONS'))).toBe(false);
  });

  it('throttles the stage, writes JSON access logs and execution errors, validates parameters', () => {
    const t = app.templates.api;
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') }),
      MethodSettings: [
        Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: true }),
      ],
    });
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestParameters: true });
    t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', RequestParameters: { 'method.request.path.scanId': true } });
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['application/json'], EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  it("answers API Gateway's own rejections in the product's error shape", () => {
    const t = app.templates.api;
    t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"RATE_LIMITED"') },
    });
    t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'REQUEST_TOO_LARGE', StatusCode: '413' });
    t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'MISSING_AUTHENTICATION_TOKEN', StatusCode: '404' });
    for (const response of Object.values(resourcesOf(t)).filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse')) {
      expect(JSON.parse(response.Properties.ResponseTemplates['application/json'].replace('$context.error.messageString', '"x"'))).toEqual({
        error: { code: expect.any(String), message: expect.any(String) },
      });
    }
  });

  it('gives every function the defaults: nodejs22.x, arm64, JSON logs with retention, its own role, names not secrets', () => {
    const functions = [...app.stacks.api.httpFunctions.values(), ...app.stacks.api.jobFunctions.values()];
    expect(functions).toHaveLength(ROUTE_GROUPS.length + JOB_FUNCTIONS.length);
    const resources = resourcesOf(app.templates.api);
    for (const fn of functions) {
      const { Properties: props } = resources[logicalId(fn)]!;
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
      });
      expect(props.LoggingConfig.LogGroup).toBeDefined();
      // Names and ARNs: no variable holds a secret's value (permissions.test.ts: which ones each function has).
      expect(Object.keys(props.Environment?.Variables ?? {}).filter((name) => /SECRET$|KEY$/.test(name))).toEqual([]);
      // Only the ingest job (envelopes too large for a request) and the re-match job (planning a run over every watched tag) run for minutes.
      const long = new Map([
        [app.stacks.api.jobFunctions.get('ingest'), INGEST_QUEUE_CONSUMER_TIMEOUT.toSeconds()],
        [app.stacks.api.jobFunctions.get('rematch'), WATCH_QUEUE_CONSUMER_TIMEOUT.toSeconds()],
      ]);
      expect(props.Timeout).toBeLessThanOrEqual(long.get(fn) ?? 60);
    }
    const variablesOf = (fn: unknown) => resources[logicalId(fn)]!.Properties.Environment?.Variables ?? {};
    const dispatcher = variablesOf(app.stacks.api.jobFunctions.get('dispatcher'));
    expect(dispatcher.SCANNER_ASSIGN_PUBLIC_IP).toBe('true');
    // Tasks upload to the stage's URL, which is part of the path (trailing slash).
    expect(JSON.stringify(dispatcher.HG_API_URL)).toMatch(/\/prod\/"\]\]\}$/);
    // Submissions are judged by the policy the task enforces.
    expect(variablesOf(app.stacks.api.httpFunctions.get('scans')).HG_EGRESS_ALLOW).toBe(DEFAULT_SETTINGS.scannerEgressAllow.join(','));
    app.templates.api.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('feeds the dispatcher from the scan queue with partial batch responses and a concurrency cap', () => {
    app.templates.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(app.stacks.api.jobFunctions.get('dispatcher')) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('routes stopped scanner tasks (of any revision) to task-events and schedules the reaper', () => {
    const t = app.templates.api;
    const target = (name: string) => Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(app.stacks.api.jobFunctions.get(name)), 'Arn'] } })]);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: {
          clusterArn: [Match.anyValue()],
          taskDefinitionArn: [
            { prefix: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`:task-definition/${app.stacks.scanner.taskDefinition.family}:$`)])] } },
          ],
          lastStatus: ['STOPPED'],
        },
      },
      Targets: target('task-events'),
    });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', Targets: target('reaper') });
  });

  it('alarms on API 5xx, dispatcher errors, dead letters and failed scans, to one topic; has a dashboard and the API URL', () => {
    const t = app.templates.api;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5XXError', Namespace: 'AWS/ApiGateway' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(app.stacks.api.jobFunctions.get('dispatcher')) } }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
    // Each dead-letter queue has its alarm, the webhook deliveries' among them.
    const deadLetterQueues = ['scanDeadLetterQueue', 'ingestDeadLetterQueue', 'webhookDeadLetterQueue'] as const;
    for (const name of deadLetterQueues) {
      const queueName = app.stacks.api.resolve(app.stacks.stateful[name].queueName);
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
      });
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TriggeredRules', Namespace: 'AWS/Events' });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: Match.objectLike({ $or: [{ containers: { exitCode: [{ 'anything-but': 0 }] } }, { stopCode: ['TaskFailedToStart'] }] }) },
    });
    t.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('Alarms') }] });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    t.hasOutput('ApiUrl', {});
  });
});
