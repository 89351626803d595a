// The DynamoDB table as functions/adapters/dynamodb/table-design.ts declares it: keys,
// attribute types and every GSI come from tableDefinition(), so the deployed table and the
// local one can never drift. Only what a deployment adds (PITR, TTL, protection) is here.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import type { Construct } from 'constructs';
import { tableDefinition, TTL_ATTRIBUTE } from '../../functions/adapters/dynamodb/table-design.ts';

const ATTRIBUTE_TYPES = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;
const PROJECTIONS = { ALL: ProjectionType.ALL, KEYS_ONLY: ProjectionType.KEYS_ONLY, INCLUDE: ProjectionType.INCLUDE } as const;

function keyAttributes(schema: KeySchemaElement[] | undefined, definitions: AttributeDefinition[]): { partitionKey: Attribute; sortKey?: Attribute } {
  const attribute = (keyType: 'HASH' | 'RANGE'): Attribute | undefined => {
    const name = schema?.find((key) => key.KeyType === keyType)?.AttributeName;
    if (name === undefined) return undefined;
    const type = definitions.find((definition) => definition.AttributeName === name)?.AttributeType;
    if (type === undefined) throw new Error(`table-design: attribute ${name} has no definition`);
    return { name, type: ATTRIBUTE_TYPES[type] };
  };
  const partitionKey = attribute('HASH');
  if (!partitionKey) throw new Error('table-design: a key schema has no partition key');
  const sortKey = attribute('RANGE');
  return sortKey ? { partitionKey, sortKey } : { partitionKey };
}

export function designTable(scope: Construct, id: string): Table {
  // The name is CloudFormation's to choose; handlers get it through TABLE_NAME.
  const design = tableDefinition('unused');
  const definitions = design.AttributeDefinitions ?? [];
  if (design.BillingMode !== 'PAY_PER_REQUEST') throw new Error('table-design: the deployment expects an on-demand table');
  const table = new Table(scope, id, {
    ...keyAttributes(design.KeySchema, definitions),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: TTL_ATTRIBUTE,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of design.GlobalSecondaryIndexes ?? []) {
    const projection = index.Projection?.ProjectionType ?? 'ALL';
    table.addGlobalSecondaryIndex({
      indexName: index.IndexName!,
      ...keyAttributes(index.KeySchema, definitions),
      projectionType: PROJECTIONS[projection],
      ...(projection === 'INCLUDE' ? { nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [] } : {}),
    });
  }
  return table;
}

/** Index names, for IAM statements that name each index rather than `index/*`. */
export const DESIGN_INDEX_NAMES: string[] = (tableDefinition('unused').GlobalSecondaryIndexes ?? []).map((index) => index.IndexName!);
