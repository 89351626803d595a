// `npm run deploy:bootstrap -- --table <TableName>`: the first organisation of a fresh
// deployment. Run once from an operator's machine with AWS credentials for the account (the
// table name is the HarborGuard-Stateful stack's TableName output). Creates the `default`
// organisation, an admin user with a personal access token and an admin API key, and prints
// the secrets once; running it again changes nothing and prints none.
import { parseArgs } from 'node:util';
import { documentClient } from '../functions/adapters/dynamodb/document-client.ts';
import { DynamoDbIdentityRepository } from '../functions/adapters/dynamodb/identity-repository.ts';
import { bootstrapOrganization } from '../functions/domain/identity/bootstrap.ts';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    'admin-email': { type: 'string' },
  },
});
if (!values.table) {
  process.stderr.write('usage: npm run deploy:bootstrap -- --table <TableName output of HarborGuard-Stateful> [--admin-email you@example.com]\n');
  process.exit(2);
}

const result = await bootstrapOrganization(
  { ...(values['admin-email'] ? { adminEmail: values['admin-email'] } : {}) },
  { identity: new DynamoDbIdentityRepository(documentClient(), values.table), now: () => new Date() },
);
process.stdout.write(
  [
    `organisation: ${result.orgId} (slug: default)`,
    result.createdApiKey ? `admin API key (shown once, keep it): ${result.createdApiKey}` : 'admin API key: created earlier (not shown again)',
    result.createdPat ? `admin personal access token (shown once): ${result.createdPat}` : 'admin personal access token: created earlier (not shown again)',
  ].join('\n') + '\n',
);
