// `npm start`: the whole product on one machine. DynamoDB Local + fauxqs, the table, queue and
// bucket, the bootstrap organisation and credentials, and the API on http://localhost:$PORT.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createStackResources, startLocalAws } from './local-aws.ts';
import { mountRouteGroups } from './mount-route-groups.ts';
import { createApiGatewayServer } from './api-gateway-server.ts';
import { LOOPBACK_EGRESS, startLocalPipeline } from './local-pipeline.ts';

const { values: flags } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'data-dir': { type: 'string', default: process.env.HG_DATA_DIR ?? '.harborguard' },
    // Where local image sources (oci:<dir>, oci-archive:<file>, docker-archive:<file>) may lie.
    'images-dir': { type: 'string', default: process.env.HG_LOCAL_SOURCES_DIR },
  },
});

function fail(message: string): never {
  process.stderr.write(`harborguard: ${message}\n`);
  process.exit(1);
}

const port = Number(flags.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port ${flags.port}`);
const dataDir = flags['data-dir']!;
mkdirSync(dataDir, { recursive: true });
const imagesDir = resolve(flags['images-dir'] ?? join(dataDir, 'images'));
mkdirSync(imagesDir, { recursive: true });

/** A local secret: from the environment, else generated once and kept in the data folder. */
function localSecret(variable: string, fileName: string): string {
  if (process.env[variable]) return process.env[variable]!;
  const file = join(dataDir, fileName);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const aws = await startLocalAws(flags['in-memory'] ? {} : { dataDir: join(dataDir, 'dynamodb') });
Object.assign(process.env, await createStackResources('harborguard'), {
  HG_SESSION_SECRET: localSecret('HG_SESSION_SECRET', 'session-secret'),
  // Seals stored registry passwords; losing it means entering them again.
  HG_REGISTRY_KEY: localSecret('HG_REGISTRY_KEY', 'registry-key'),
  HG_LOCAL_SOURCES_DIR: imagesDir,
  HG_EGRESS_ALLOW: [process.env.HG_EGRESS_ALLOW, LOOPBACK_EGRESS].filter(Boolean).join(','),
});

const server = createApiGatewayServer(await mountRouteGroups());
await new Promise<void>((resolve) => {
  server.once('error', async (error) => {
    await aws.stop();
    fail(`cannot listen on port ${port}: ${error.message}`);
  });
  server.listen(port, resolve);
});
const { port: bound } = server.address() as { port: number };
const pipeline = await startLocalPipeline({ apiUrl: `http://127.0.0.1:${bound}` });

const { dependencies } = await import('../functions/http/dependencies.ts');
const { bootstrapOrganization } = await import('../functions/domain/identity/bootstrap.ts');
let boot;
try {
  boot = await bootstrapOrganization({ apiKey: process.env.HG_BOOTSTRAP_API_KEY, pat: process.env.HG_BOOTSTRAP_PAT }, dependencies());
} catch (error) {
  await pipeline.stop();
  await aws.stop();
  fail((error as Error).message);
}

{
  const lines = [
    `HarborGuard is running at http://localhost:${bound}/api/scans`,
    `  data: ${flags['in-memory'] ? 'in memory (gone on exit)' : dataDir}`,
    boot.createdApiKey
      ? `  admin API key (shown once, keep it): ${boot.createdApiKey}`
      : `  admin API key: ${process.env.HG_BOOTSTRAP_API_KEY ? 'from HG_BOOTSTRAP_API_KEY' : `created on an earlier start (delete ${dataDir}/ to start afresh)`}`,
    boot.createdPat
      ? `  admin@localhost personal access token (shown once): ${boot.createdPat}`
      : `  admin@localhost PAT: ${process.env.HG_BOOTSTRAP_PAT ? 'from HG_BOOTSTRAP_PAT' : 'created on an earlier start'}`,
    `  local images: put OCI layouts or image archives in ${imagesDir} and scan them as oci:<dir>[:tag], oci-archive:<file>, docker-archive:<file>`,
    `  try: curl -H "X-API-Key: $KEY" http://localhost:${bound}/api/scans`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void pipeline.stop().then(() => aws.stop()).finally(() => process.exit(0));
  });
}
