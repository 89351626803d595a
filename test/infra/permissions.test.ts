// Least privilege, read from the synthesized templates: every wildcard resource is one of the
// accepted shapes, RunTask/PassRole name this task definition and its roles, each function
// holds exactly the actions its access list grants. And cdk-nag's AwsSolutions pack passes.
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_ENVIRONMENT, ROUTE_GROUP_ENVIRONMENT } from '../../functions/composition/environment.ts';
import { ROUTE_GROUPS } from '../../functions/http/route-groups.ts';
import { JOB_FUNCTIONS } from '../../functions/jobs/job-functions.ts';
import { JOB_SETTINGS } from '../../infra/job-settings.ts';
import { wildcardResources } from '../../infra/nag-suppressions.ts';
import { ROUTE_ACCESS } from '../../infra/route-access.ts';
import { actionsOf, allStatements, functionRoleId, list, roleStatements, type Statement } from './support/iam.ts';
import { synthHarborGuard, type SynthesizedHarborGuard } from './support/synth-harbor-guard.ts';

let app: SynthesizedHarborGuard;
beforeAll(() => {
  app = synthHarborGuard({ nag: true });
});
afterAll(() => app.cleanup());

const logicalId = (fn: unknown) => app.stacks.api.getLogicalId((fn as { node: { defaultChild: CfnFunction } }).node.defaultChild);
const statementsOf = (fn: unknown) => roleStatements(app.templates.api, functionRoleId(app.templates.api, logicalId(fn)));
const allFunctions = () => [...app.stacks.api.httpFunctions, ...app.stacks.api.jobFunctions];
const variablesOf = (fn: unknown) => (app.templates.api.toJSON().Resources[logicalId(fn)].Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
const TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

describe('IAM', () => {
  it('grants no wildcard resource where an ARN fits, and no wildcard action', () => {
    for (const template of Object.values(app.templates)) {
      for (const statement of allStatements(template)) {
        if (statement.Effect !== 'Allow') continue;
        expect(wildcardResources(statement).filter((found) => !found.accepted)).toEqual([]);
        for (const action of list(statement.Action)) expect(action).not.toContain('*');
      }
    }
  });

  it('lets only the scanner-running jobs RunTask, on this task definition in this cluster, and PassRole only its roles to ECS', () => {
    const scanner = app.stacks.scanner;
    const taskDefinitionArn = app.stacks.api.resolve(scanner.taskDefinition.taskDefinitionArn);
    const clusterArn = app.stacks.api.resolve(scanner.cluster.clusterArn);
    const roleArns = [scanner.taskDefinition.taskRole.roleArn, scanner.taskDefinition.executionRole!.roleArn].map((arn) => app.stacks.api.resolve(arn));
    const runners = Object.entries(JOB_SETTINGS)
      .filter(([, settings]) => settings.access.includes('scanner:run'))
      .map(([name]) => name);
    expect(runners).toEqual(['dispatcher']);
    for (const [name, fn] of allFunctions()) {
      const statements = statementsOf(fn);
      const runTask = statements.filter((s) => list(s.Action).includes('ecs:RunTask'));
      const passRole = statements.filter((s) => list(s.Action).includes('iam:PassRole'));
      if (!runners.includes(name)) {
        expect([name, runTask, passRole]).toEqual([name, [], []]);
        continue;
      }
      expect(runTask).toEqual([
        { Effect: 'Allow', Action: 'ecs:RunTask', Resource: taskDefinitionArn, Condition: { ArnEquals: { 'ecs:cluster': clusterArn } } },
      ]);
      expect(passRole).toHaveLength(1);
      expect(passRole[0]!.Resource).toEqual(expect.arrayContaining(roleArns));
      expect(passRole[0]!.Resource).toHaveLength(roleArns.length);
      expect(passRole[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    }
  });

  it('declares access for every route group and every job the code lists, with the listed trigger', () => {
    expect(Object.keys(ROUTE_ACCESS).sort()).toEqual(ROUTE_GROUPS.map((group) => group.name).sort());
    for (const job of JOB_FUNCTIONS) expect([job.name, JOB_SETTINGS[job.name]?.trigger.kind]).toEqual([job.name, job.trigger]);
  });

  it('gives each HTTP function exactly the actions of its declared access', () => {
    const expected: Record<string, string[]> = {
      scans: [...TABLE_ACTIONS, 'ecs:DescribeTasks', 'ecs:StopTask', 's3:DeleteObject', 's3:GetObject', 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
      'scan-sbom': [...TABLE_ACTIONS, 's3:GetObject', 'secretsmanager:GetSecretValue'],
      'scan-raw-outputs': [...TABLE_ACTIONS, 's3:GetObject', 'secretsmanager:GetSecretValue'],
      'scan-upload': [...TABLE_ACTIONS, 's3:GetObject', 's3:PutObject', 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
      'api-keys': [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
      'personal-access-tokens': [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
      members: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
      triage: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
      // GetSecretValue on the session secret and on the registry key.
      registries: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
      // The same two secrets, and the webhook queue (test events, redeliveries).
      webhooks: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
      integrations: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
      // Opens hook secrets (the registry key only: it authenticates no API credential); queues the scans a push starts.
      hooks: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
      // Runs started by hand go on the watch queue.
      watch: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
      // The catalogue and the scans-by-tag index.
      images: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
      vulnerabilities: [...TABLE_ACTIONS, 'secretsmanager:GetSecretValue'],
    };
    for (const [name, fn] of app.stacks.api.httpFunctions) {
      expect([name, actionsOf(statementsOf(fn))]).toEqual([name, [...(expected[name] ?? []), 'logs:CreateLogStream', 'logs:PutLogEvents'].sort()]);
    }
  });

  it('scopes table, queue, secret and log statements to their own ARNs', () => {
    const api = app.stacks.api;
    const tableArn = api.resolve(app.stacks.stateful.table.tableArn);
    const { scanQueue, ingestQueue, webhookQueue, webhookDeadLetterQueue, watchQueue } = app.stacks.stateful;
    const queueArns = [scanQueue, ingestQueue, webhookQueue, webhookDeadLetterQueue, watchQueue].map((queue) => api.resolve(queue.queueArn));
    const secretArn = api.resolve(app.stacks.stateful.sessionSecret.secretArn);
    const registryKeyArn = api.resolve(app.stacks.stateful.registryKey.secretArn);
    for (const [, fn] of allFunctions()) {
      for (const statement of statementsOf(fn)) {
        const actions = list(statement.Action);
        const resources = list(statement.Resource);
        if (actions.some((a) => a.startsWith('dynamodb:')) && actions.length > 1) expect(resources).toEqual([tableArn]);
        if (actions.length === 1 && actions[0] === 'dynamodb:Query') {
          for (const resource of resources) expect(JSON.stringify(resource)).toMatch(/\/index\/\w+"\]\]\}$/);
        }
        if (actions.includes('sqs:SendMessage')) expect(queueArns).toContainEqual(...(resources as [unknown]));
        if (actions.includes('secretsmanager:GetSecretValue')) for (const resource of resources) expect([secretArn, registryKeyArn]).toContainEqual(resource);
        if (actions.includes('logs:PutLogEvents')) expect(resources).toHaveLength(1);
      }
    }
  });

  it('gives each job exactly the actions of its declared access', () => {
    // What the SQS event source grants its consumer, on its own queue.
    const consumer = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
    const expected: Record<string, string[]> = {
      // RunTask and PassRole only: it never stops a task, and never reads a secret.
      dispatcher: [...TABLE_ACTIONS, ...consumer, 'ecs:RunTask', 'iam:PassRole'],
      // Each job that ends scans publishes their events: SendMessage on the webhook queue.
      reaper: [...TABLE_ACTIONS, 'ecs:DescribeTasks', 'ecs:StopTask', 'sqs:SendMessage'],
      'task-events': [...TABLE_ACTIONS, 'sqs:SendMessage'],
      ingest: [...TABLE_ACTIONS, ...consumer, 's3:GetObject', 's3:PutObject', 'sqs:SendMessage'],
      // Consumes its queue, schedules retries on it and dead-letters on the DLQ; opens signing secrets.
      'webhook-delivery': [...TABLE_ACTIONS, ...consumer, 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
      // Consumes the watch queue and queues batches on it; reads the snapshot and base scans' artifacts, writes re-match scans' artifacts; publishes events.
      // Registry checks open stored credentials with the sealing key and queue scans.
      rematch: [...TABLE_ACTIONS, ...consumer, 's3:GetObject', 's3:PutObject', 'secretsmanager:GetSecretValue', 'sqs:SendMessage'],
      'registry-check': [...TABLE_ACTIONS, 'sqs:SendMessage'],
    };
    for (const [name, fn] of app.stacks.api.jobFunctions) {
      expect([name, actionsOf(statementsOf(fn))]).toEqual([name, [...(expected[name] ?? []), 'logs:CreateLogStream', 'logs:PutLogEvents'].sort()]);
    }
  });

  it('lets only the API functions that authenticate read the session-signing secret: no job has its ARN or a grant on it', () => {
    // A group of public routes only (meta) authenticates nobody.
    const authenticating = ROUTE_GROUPS.filter((group) => group.routes.some((route) => !('public' in route.access))).map((group) => group.name);
    const sessionSecretArn = JSON.stringify(app.stacks.api.resolve(app.stacks.stateful.sessionSecret.secretArn));
    const grants = (fn: unknown) =>
      statementsOf(fn).some((statement) => list(statement.Resource).some((resource) => JSON.stringify(resource) === sessionSecretArn));
    const told = (fn: unknown) => Object.keys(variablesOf(fn)).some((name) => name.startsWith('HG_SESSION_SECRET'));
    expect(
      [...allFunctions()]
        .filter(([, fn]) => grants(fn))
        .map(([name]) => name)
        .sort(),
    ).toEqual(authenticating.sort());
    expect(
      [...allFunctions()]
        .filter(([, fn]) => told(fn))
        .map(([name]) => name)
        .sort(),
    ).toEqual(authenticating.sort());
    for (const name of ['dispatcher', 'reaper', 'task-events', 'ingest']) {
      const fn = app.stacks.api.jobFunctions.get(name);
      expect([name, grants(fn), told(fn), actionsOf(statementsOf(fn)).includes('secretsmanager:GetSecretValue')]).toEqual([name, false, false, false]);
    }
  });

  it('gives each function exactly the environment variables its factory reads (functions/composition/environment.ts)', () => {
    const lists: Record<string, readonly string[]> = { ...ROUTE_GROUP_ENVIRONMENT, ...JOB_ENVIRONMENT };
    expect(Object.keys(lists).sort()).toEqual([...allFunctions()].map(([name]) => name).sort());
    for (const [name, fn] of allFunctions()) expect([name, Object.keys(variablesOf(fn)).sort()]).toEqual([name, [...new Set(lists[name])].sort()]);
  });

  it('lets only the functions that seal or open secrets read the sealing key (registry passwords, webhook signing secrets)', () => {
    const registryKeyArn = JSON.stringify(app.stacks.api.resolve(app.stacks.stateful.registryKey.secretArn));
    const readers = [...allFunctions()]
      .filter(([, fn]) => statementsOf(fn).some((statement) => list(statement.Resource).some((resource) => JSON.stringify(resource) === registryKeyArn)))
      .map(([name]) => name);
    // The re-match job opens registry passwords for its registry checks.
    expect(readers.sort()).toEqual(['hooks', 'integrations', 'registries', 'rematch', 'webhook-delivery', 'webhooks']);
  });

  it('configures no function and no scanner task with a local-sources folder (local image sources stay refused in AWS)', () => {
    for (const template of Object.values(app.templates)) expect(JSON.stringify(template)).not.toContain('HG_LOCAL_SOURCES_DIR');
  });

  it('lets the raw-outputs function read raw outputs only, no other object of the bucket', () => {
    const fn = app.stacks.api.httpFunctions.get('scan-raw-outputs');
    const s3 = statementsOf(fn).filter((statement) => list(statement.Action).some((action) => action.startsWith('s3:')));
    expect(
      s3.map((statement) => [list(statement.Action), list(statement.Resource).map((resource) => JSON.stringify(resource).match(/\/[^"]*\*/)?.[0])]),
    ).toEqual([[['s3:GetObject'], ['/orgs/*/scans/*/raw/*']]]);
  });

  it("lets only the scan-upload function, which signs scanners' URLs, GET and PUT layer-cache entries, on layer-cache/* alone; no task role reaches them", () => {
    const resourceText = (resource: unknown) => JSON.stringify(resource);
    const onLayerCache = (statements: Statement[]) => statements.filter((s) => list(s.Resource).some((r) => resourceText(r).includes('layer-cache')));
    const holders = [...allFunctions()].filter(([, fn]) => onLayerCache(statementsOf(fn)).length > 0).map(([name]) => name);
    expect(holders).toEqual(['scan-upload']);
    // CDK merges statements of the same actions (uploads/* shares this one): compared as action-resource pairs.
    const grants = onLayerCache(statementsOf(app.stacks.api.httpFunctions.get('scan-upload'))).flatMap((s) =>
      list(s.Action).flatMap((action) => list(s.Resource).map((r) => `${action} ${resourceText(r).match(/\/[^"]*\*/)?.[0]}`)),
    );
    expect(grants.filter((grant) => grant.includes('layer-cache')).sort()).toEqual(['s3:GetObject /layer-cache/*', 's3:PutObject /layer-cache/*']);
    // The scanner stack's roles (the scan task's, the advisory updater's, their execution roles):
    // no statement names the prefix, and no S3 statement covers every object of a bucket or everything.
    const scannerS3 = allStatements(app.templates.scanner).filter((s) => list(s.Action).some((action) => action.startsWith('s3:')));
    expect(scannerS3.length).toBeGreaterThan(0);
    for (const statement of scannerS3) {
      for (const resource of list(statement.Resource).map(resourceText)) {
        expect(resource).not.toContain('layer-cache');
        expect(resource).not.toMatch(/^"\*"$|"\/\*"\]\]\}$/);
      }
    }
  });

  it('limits the scanner task role to reading advisory snapshots', () => {
    const roleId = app.stacks.scanner.getLogicalId(app.stacks.scanner.taskDefinition.taskRole.node.defaultChild as never);
    const statements: Statement[] = roleStatements(app.templates.scanner, roleId);
    expect(actionsOf(statements)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(statements[0]!.Resource)).toContain('/advisories/*');
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('passes: the synth with the pack succeeded and the report holds no violation', () => {
    const reports = app.validationReport().pluginReports.filter((plugin) => plugin.pluginName === 'AwsSolutions');
    for (const report of reports) expect([report.conclusion, report.violations]).toEqual(['success', []]);
  });

  it('acknowledges each accepted finding with a reason, in code', () => {
    const acknowledged: Array<[string, string]> = [];
    for (const stack of Object.values(app.stacks)) {
      for (const node of stack.node.findAll()) {
        for (const entry of node.node.metadata) {
          if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
          // Keys are namespaced by CDK ("Annotation::AwsSolutions-L1"); the rule id follows.
          const entries = Object.entries(entry.data as Record<string, string>).map(
            ([key, reason]) => [key.replace(/^[\w-]+::(?=AwsSolutions-)/, ''), reason] as [string, string],
          );
          acknowledged.push(...entries.filter(([id]) => id.startsWith('AwsSolutions-')));
        }
      }
    }
    const rules = new Set(acknowledged.map(([id]) => id.replace(/\[.*$/, '')));
    expect([...rules].sort()).toEqual([
      'AwsSolutions-APIG3',
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-ECS2',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
    ]);
    for (const [id, reason] of acknowledged) expect([id, reason.length > 40]).toEqual([id, true]);
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const broken = synthHarborGuard.build({ nag: true });
    broken.stacks.api.httpFunctions.get('members')!.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    expect(() => broken.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
    broken.cleanup();
  });
});
