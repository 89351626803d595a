// ECR pushes into an `ecr` integration (infra/constructs/ecr-push-hook.ts): absent unless
// configured; when configured, the rule matches exactly successful pushes, the API destination
// posts to the integration's hook with its secret from Secrets Manager in the header the ecr
// provider reads, failures are retried and then kept, and cdk-nag finds nothing unacknowledged.
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { synthHarborGuard, type SynthesizedHarborGuard } from './support/synth-harbor-guard.ts';

const INTEGRATION = 'int_EcrPushTest00000';
let configured: SynthesizedHarborGuard;
let plain: SynthesizedHarborGuard;
beforeAll(() => {
  configured = synthHarborGuard({ nag: true, context: { ecrPushIntegrationId: INTEGRATION, ecrPushSecretName: 'harborguard/ecr-hook' } });
  plain = synthHarborGuard();
});
afterAll(() => {
  configured?.cleanup();
  plain?.cleanup();
});

it('is absent unless configured', () => {
  plain.templates.api.resourceCountIs('AWS::Events::ApiDestination', 0);
  plain.templates.api.resourceCountIs('AWS::Events::Connection', 0);
});

it('sends successful ECR pushes to the integration hook with its secret in X-HarborGuard-Token', () => {
  const api = configured.templates.api;
  api.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: { source: ['aws.ecr'], 'detail-type': ['ECR Image Action'], detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] } },
    Targets: [
      Match.objectLike({
        DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
      }),
    ],
  });
  api.hasResourceProperties('AWS::Events::Connection', {
    AuthorizationType: 'API_KEY',
    AuthParameters: {
      ApiKeyAuthParameters: { ApiKeyName: 'X-HarborGuard-Token', ApiKeyValue: Match.stringLikeRegexp('resolve:secretsmanager:harborguard/ecr-hook') },
    },
  });
  const [destination] = Object.values(api.findResources('AWS::Events::ApiDestination'));
  expect(destination!.Properties.HttpMethod).toBe('POST');
  expect(JSON.stringify(destination!.Properties.InvocationEndpoint)).toContain(`/api/hooks/${INTEGRATION}`);
  // Pushes that never arrived raise an alarm like every other dead-letter queue.
  const [deadLetters] = Object.keys(api.findResources('AWS::SQS::Queue', { Properties: { MessageRetentionPeriod: 1_209_600 } }));
  api.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }],
  });
  // The secret never appears in the template itself.
  expect(JSON.stringify(api.toJSON())).not.toMatch(/hg_hk_/);
});

it('passes cdk-nag', () => {
  const report = configured.validationReport();
  const violations = report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((v) => `${v.ruleName}: ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
  );
  expect(violations).toEqual([]);
});

it('refuses half a configuration', () => {
  expect(() => synthHarborGuard({ context: { ecrPushIntegrationId: INTEGRATION } })).toThrow(/go together/);
});
