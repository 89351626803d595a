// Reading IAM statements out of synthesized templates: per role, per function.
import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every AWS::IAM::Policy and inline role policy in the template. */
export function allStatements(template: Template): Statement[] {
  const statements: Statement[] = [];
  for (const resource of Object.values(template.toJSON().Resources as Resources)) {
    if (resource.Type === 'AWS::IAM::Policy') {
      statements.push(...(resource.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (resource.Properties!.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }> | undefined) ?? []) {
        statements.push(...policy.PolicyDocument.Statement);
      }
    }
  }
  return statements;
}

/** Statements of the policies attached to one role (by logical id). */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const statements: Statement[] = [];
  for (const resource of Object.values(template.toJSON().Resources as Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = resource.Properties!.Roles as Array<{ Ref: string }>;
    if (roles.some((role) => role.Ref === roleLogicalId)) {
      statements.push(...(resource.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
    }
  }
  return statements;
}

export function functionRoleId(template: Template, functionLogicalId: string): string {
  const fn = (template.toJSON().Resources as Resources)[functionLogicalId]!;
  return (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

export const actionsOf = (statements: Statement[]): string[] => [...new Set(statements.flatMap((statement) => list(statement.Action)))].sort();
