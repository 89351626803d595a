// The scheduled advisory updater, read from the synthesized templates: a Fargate task from the
// scanner image running `harborguard db update … --publish`, started by an EventBridge schedule
// whose role may run only that task, writing only the snapshot, watched by two alarms.
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, OSV_DUMPS_URL, UPDATER_CONTAINER_NAME } from '../../infra/constructs/advisory-updater.ts';
import { DEFAULT_SETTINGS } from '../../infra/settings.ts';
import { DEFAULT_SNAPSHOT_KEY } from '#shared/snapshots/snapshot-location.ts';
import { actionsOf, allStatements, list, roleStatements } from './support/iam.ts';
import { synthHarborGuard, type SynthesizedHarborGuard } from './support/synth-harbor-guard.ts';

let app: SynthesizedHarborGuard;
beforeAll(() => {
  app = synthHarborGuard();
});
afterAll(() => app.cleanup());

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
const scannerResources = () => app.templates.scanner.toJSON().Resources as Resources;
/** The logical id of a construct (or of its CloudFormation resource) in the scanner stack. */
const scannerId = (construct: IConstruct) => app.stacks.scanner.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const updater = () => app.stacks.scanner.advisoryUpdater;
const updaterTaskDefinitionId = () => scannerId(updater().taskDefinition);

describe('advisory updater', () => {
  it('runs every 6 hours as a Fargate task of the updater task definition on the scanner cluster, in the scanner network with a public IP', () => {
    const scanner = app.stacks.scanner;
    const [rule, ...others] = Object.values(scannerResources()).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(others).toEqual([]);
    expect(rule!.Properties.ScheduleExpression).toBe(`rate(${DEFAULT_SETTINGS.advisoryUpdateIntervalHours} hours)`);
    expect(rule!.Properties.ScheduleExpression).toBe('rate(6 hours)');
    const [target, ...more] = rule!.Properties.Targets;
    expect(more).toEqual([]);
    expect(target.Arn).toEqual(scanner.resolve(scanner.cluster.clusterArn));
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AdvisoryUpdaterScheduleRole/), 'Arn'] });
    expect(target.EcsParameters).toEqual({
      LaunchType: 'FARGATE',
      TaskCount: 1,
      TaskDefinitionArn: { Ref: updaterTaskDefinitionId() },
      NetworkConfiguration: {
        AwsVpcConfiguration: {
          AssignPublicIp: 'ENABLED',
          SecurityGroups: [scanner.resolve(scanner.securityGroup.securityGroupId)],
          Subnets: scanner.subnetIds.map((id) => scanner.resolve(id)),
        },
      },
    });
    // The command is the task definition's own: no override the schedule and a manual run could disagree on.
    expect(JSON.parse(target.Input)).toEqual({});
  });

  it("runs the scanner image's CLI: db update over every ecosystem's OSV dump, published to the key scanner tasks read", () => {
    const definitions = Object.values(scannerResources()).filter((r) => r.Type === 'AWS::ECS::TaskDefinition');
    expect(definitions).toHaveLength(2);
    const definition = scannerResources()[updaterTaskDefinitionId()]!;
    const [container, ...others] = definition.Properties.ContainerDefinitions;
    expect(others).toEqual([]);
    const scannerImage = definitions.find((d) => d !== definition)!.Properties.ContainerDefinitions[0].Image;
    expect(container.Image).toEqual(scannerImage);
    expect(container).toMatchObject({
      Name: UPDATER_CONTAINER_NAME,
      ReadonlyRootFilesystem: true,
      MountPoints: [{ ContainerPath: '/scratch', SourceVolume: 'scratch', ReadOnly: false }],
    });
    expect(container.Environment).toBeUndefined();
    expect(container.EntryPoint).toEqual(['node', `--max-old-space-size=${DEFAULT_SETTINGS.advisoryUpdaterMemoryMiB * 0.75}`, CLI_BUNDLE]);
    const command = container.Command as unknown[];
    expect(command.slice(0, 3)).toEqual(['db', 'update', '--dump']);
    const dumps = command.slice(3, command.indexOf('--cache-dir'));
    expect(dumps).toEqual(DEFAULT_SETTINGS.advisoryEcosystems.map((ecosystem) => `${OSV_DUMPS_URL}/${encodeURIComponent(ecosystem)}/all.zip`));
    expect(dumps).toContain(`${OSV_DUMPS_URL}/Red%20Hat/all.zip`);
    expect(command.slice(command.indexOf('--cache-dir'), -1)).toEqual([
      '--cache-dir',
      '/scratch/osv',
      '-o',
      '/scratch/advisories.db',
      '--restrict-egress',
      '--publish',
    ]);
    const bucket = app.stacks.scanner.resolve(app.stacks.stateful.artifacts.bucketName);
    expect(command.at(-1)).toEqual({ 'Fn::Join': ['', ['s3://', bucket, `/${DEFAULT_SNAPSHOT_KEY}`]] });
    expect(definition.Properties).toMatchObject({ Cpu: '1024', Memory: '4096', RuntimePlatform: { CpuArchitecture: 'X86_64' } });
    expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    const logGroup = scannerResources()[container.LogConfiguration.Options['awslogs-group'].Ref]!;
    expect(logGroup.Properties.RetentionInDays).toBe(90);
  });

  it("gives EventBridge a role that may run only the updater's task definition in this cluster and pass only its two roles, to ECS", () => {
    const scanner = app.stacks.scanner;
    const rule = Object.values(scannerResources()).find((r) => r.Type === 'AWS::Events::Rule')!;
    const eventsRole = (rule.Properties.Targets[0].RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const definition = updater().taskDefinition;
    expect(roleStatements(app.templates.scanner, eventsRole)).toEqual([
      {
        Effect: 'Allow',
        Action: 'ecs:RunTask',
        Resource: { Ref: updaterTaskDefinitionId() },
        Condition: { ArnEquals: { 'ecs:cluster': scanner.resolve(scanner.cluster.clusterArn) } },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: expect.arrayContaining([definition.taskRole, definition.executionRole!].map((role) => ({ 'Fn::GetAtt': [scannerId(role), 'Arn'] }))),
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
    ]);
    expect(roleStatements(app.templates.scanner, eventsRole)[1]!.Resource).toHaveLength(2);
    expect(scannerResources()[eventsRole]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
    ]);
  });

  it('lets the updater task read and write the snapshot object alone, and nothing else write under advisories/', () => {
    const statements = roleStatements(app.templates.scanner, scannerId(updater().taskDefinition.taskRole));
    const artifactsArn = app.stacks.scanner.resolve(app.stacks.stateful.artifacts.bucketArn);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [artifactsArn, `/${DEFAULT_SNAPSHOT_KEY}`]] },
      },
    ]);
    // The scanner task role keeps read-only access.
    expect(actionsOf(roleStatements(app.templates.scanner, scannerId(app.stacks.scanner.taskDefinition.taskRole)))).toEqual(['s3:GetObject']);
    const writers = Object.values(app.templates)
      .flatMap((template) => allStatements(template))
      .filter((statement) => list(statement.Action).some((action) => action === 's3:PutObject' || action === 's3:*'))
      .filter((statement) => list(statement.Resource).some((resource) => JSON.stringify(resource).includes('/advisories/')));
    expect(writers).toEqual(statements);
  });

  it('alarms when an updater task fails and when EventBridge cannot start one; scan-failure rules ignore updater tasks', () => {
    const api = app.templates.api;
    const apiResources = api.toJSON().Resources as Resources;
    const rules = Object.entries(apiResources).filter(([, r]) => r.Type === 'AWS::Events::Rule');
    const family = (pattern: any) => JSON.stringify(pattern?.detail?.taskDefinitionArn);
    const updaterFamily = updater().taskDefinition.family;
    const scannerFamily = app.stacks.scanner.taskDefinition.family;
    const [failureRuleId, failureRule] = rules.find(([, r]) => family(r.Properties.EventPattern)?.includes(`/${updaterFamily}:`))!;
    expect(failureRule.Properties.EventPattern.detail).toMatchObject({
      lastStatus: ['STOPPED'],
      $or: [{ containers: { exitCode: [{ 'anything-but': 0 }] } }, { stopCode: ['TaskFailedToStart'] }],
    });
    // Every other task-state rule (task-events, ScannerTaskFailed) names the scanner's family only.
    for (const [id, rule] of rules.filter(([id, r]) => id !== failureRuleId && r.Properties.EventPattern)) {
      expect([id, family(rule.Properties.EventPattern)]).toEqual([id, expect.stringContaining(`/${scannerFamily}:`)]);
    }
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: failureRuleId } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Alarms') }],
    });
    const scheduleName = app.stacks.api.resolve(updater().schedule.ruleName);
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: scheduleName }],
      Threshold: 1,
    });
  });

  it('starts the first run when the stack is created (errors ignored, so a failed start never rolls a deploy back), with RunTask and PassRole for the updater only', () => {
    const scanner = app.stacks.scanner;
    const [firstRun, ...others] = Object.values(scannerResources()).filter((r) => r.Type === 'Custom::AWS');
    expect(others).toEqual([]);
    expect(firstRun!.Properties.Update).toBeUndefined();
    expect(firstRun!.Properties.Delete).toBeUndefined();
    // The call is a JSON string joined with references: each reference becomes its logical id.
    const parts = (firstRun!.Properties.Create as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    const create = parts
      .map((part) => (typeof part === 'string' ? part : ((part as { Ref?: string }).Ref ?? (part as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0])))
      .join('');
    expect(JSON.parse(create)).toEqual({
      service: 'ECS',
      action: 'runTask',
      parameters: {
        cluster: scannerId(scanner.cluster),
        taskDefinition: updaterTaskDefinitionId(),
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: scanner.vpc.publicSubnets.map((subnet) => scannerId(subnet)),
            securityGroups: [scannerId(scanner.securityGroup)],
            assignPublicIp: 'ENABLED',
          },
        },
      },
      physicalResourceId: { id: 'first-advisory-update' },
      outputPaths: ['tasks.0.taskArn'],
      ignoreErrorCodesMatching: '.*',
    });
    const policy = Object.values(scannerResources()).find(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.PolicyName).includes('FirstRun'),
    )!;
    expect(actionsOf(policy.Properties.PolicyDocument.Statement)).toEqual(['ecs:RunTask', 'iam:PassRole']);
    expect(policy.Properties.PolicyDocument.Statement[0].Resource).toEqual({ Ref: updaterTaskDefinitionId() });
  });

  it('outputs the task definition and a ready run-task command for the first run', () => {
    const outputs = app.templates.scanner.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.AdvisoryUpdaterTaskDefinition!.Value).toEqual({ Ref: updaterTaskDefinitionId() });
    const command = JSON.stringify(outputs.RunAdvisoryUpdater!.Value);
    for (const part of [
      'aws ecs run-task --launch-type FARGATE --cluster ',
      updaterTaskDefinitionId(),
      'assignPublicIp=ENABLED',
      scannerId(app.stacks.scanner.securityGroup),
    ])
      expect(command).toContain(part);
  });
});
