// Wildcard resources in IAM statements are accepted only where IAM offers nothing narrower.
// Each accepted shape carries its reason; every other `*` fails cdk-nag (AwsSolutions-IAM5)
// and test/infra/permissions.test.ts. Other acknowledgements sit beside their construct.
import { Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

export interface AcceptedWildcard {
  /** The resource as cdk-nag renders it (references flattened). */
  resource: RegExp;
  /** When set, every action of the statement must be one of these. */
  actions?: string[];
  reason: string;
}

export const ACCEPTED_WILDCARDS: AcceptedWildcard[] = [
  {
    resource: /\/orgs\/\*$/,
    reason: 'Scan artifacts are one object per scan under orgs/<orgId>/scans/<scanId>/: the key prefix is the narrowest resource there is',
  },
  {
    resource: /\/orgs\/\*\/scans\/\*\/raw\/\*$/,
    actions: ['s3:GetObject'],
    reason:
      'Raw scanner outputs are objects orgs/<orgId>/scans/<scanId>/raw/<scanner>.json.gz of every organisation and scan: this key pattern is the narrowest resource there is',
  },
  { resource: /\/advisories\/\*$/, reason: 'Advisory snapshots are objects under advisories/: the key prefix is the narrowest resource there is' },
  {
    resource: /\/uploads\/\*$/,
    actions: ['s3:GetObject', 's3:PutObject'],
    reason:
      'Large envelopes are uploaded through pre-signed URLs to uploads/<orgId>/<scanId>/<random>: keys minted per request, so the prefix is the narrowest resource there is',
  },
  {
    resource: /\/layer-cache\/\*$/,
    actions: ['s3:GetObject', 's3:PutObject'],
    reason:
      "Layer-cache entries are objects layer-cache/<orgId>/<key> of every organisation, reached by scanners only through URLs pre-signed for their own organisation's keys: the prefix is the narrowest resource there is",
  },
  {
    resource: /:task\/[^/]+\/\*$/,
    actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
    reason: "Task ARNs are minted by RunTask: this cluster's task ARN pattern, also pinned by an ecs:cluster condition",
  },
  {
    resource: /^\*$/,
    actions: ['ecr:GetAuthorizationToken'],
    reason: 'ecr:GetAuthorizationToken has no resource-level permissions (the image pull itself is limited to the asset repository)',
  },
  {
    resource: /^\*$/,
    actions: ['logs:PutResourcePolicy', 'logs:DeleteResourcePolicy'],
    reason: 'CloudWatch Logs resource policies are account-wide: CDK sets the one that lets EventBridge write failed-task events',
  },
];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Wildcard resources of a statement, as cdk-nag names them, with the accepted shape if any. */
export function wildcardResources(statement: Statement): Array<{ resource: string; accepted?: AcceptedWildcard }> {
  if (statement.Effect !== 'Allow') return [];
  const actions = list(statement.Action);
  return list(statement.Resource)
    .map((resource) => flattenCfnReference(resource))
    .filter((resource) => resource.includes('*'))
    .map((resource) => {
      const accepted = ACCEPTED_WILDCARDS.find(
        (shape) => shape.resource.test(resource) && (!shape.actions || actions.every((action) => shape.actions!.includes(action))),
      );
      return accepted ? { resource, accepted } : { resource };
    });
}

export function acknowledgeAcceptedWildcards(stack: Stack): void {
  for (const node of stack.node.findAll()) {
    if (!(node instanceof CfnPolicy)) continue;
    // cdk-nag names a resource as the template renders it, and cross-stack references become
    // imports only when the app is prepared: acknowledge then (construct validation runs after
    // preparation and before the validation plugins read acknowledgements).
    node.node.addValidation({
      validate: () => {
        const document = stack.resolve(node.policyDocument) as { Statement?: Statement[] };
        for (const statement of document.Statement ?? []) {
          for (const { resource, accepted } of wildcardResources(statement)) {
            if (accepted) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason: accepted.reason });
          }
        }
        return [];
      },
    });
  }
  // CDK's singleton provider behind the EventBridge → CloudWatch Logs target's resource policy.
  for (const node of stack.node.findAll()) {
    if (node instanceof CfnRole && node.node.path.includes('/AWS679f53fac002430cb0da5b7982bd2287/')) {
      Validations.of(node).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK-provided deploy-time function (sets the log group resource policy); it only writes its own logs',
      });
    }
  }
}
