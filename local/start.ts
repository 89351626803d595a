// `npm start`: the whole product on one machine. DynamoDB Local + fauxqs, the table, queue and
// bucket, the bootstrap organisation and credentials, and the API on http://127.0.0.1:$PORT.
// Everything listens on 127.0.0.1; `--host` exposes the API (only the API) elsewhere. A restart
// on the same data queues again what the last run left queued or running, and a stop (Ctrl-C,
// SIGTERM) ends the running scans before it stops the stores.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freshScannerEntry } from '../build/fresh-scanner.ts';
import { createStackResources, startLocalAws } from './local-aws.ts';
import { mountRouteGroups } from './mount-route-groups.ts';
import { createApiGatewayServer } from './api-gateway-server.ts';
import { LOOPBACK_EGRESS, startLocalPipeline } from './local-pipeline.ts';
import { localSnapshotStatus } from '../scanner-task/snapshot-store/local-snapshot-status.ts';
import { defaultDbPath } from '../scanner-task/match/advisory-db.ts';
import { isS3Url } from '../shared/snapshots/snapshot-location.ts';
import { startSnapshotWatch } from './snapshot-watch.ts';

const { values: flags } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    // Where the API listens. The stores and the task endpoints stay on 127.0.0.1 regardless.
    host: { type: 'string', default: '127.0.0.1' },
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
// localhost would bind whichever of 127.0.0.1 and ::1 resolves first.
const host = flags.host === 'localhost' ? '127.0.0.1' : flags.host;
const loopback = host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
const everyInterface = host === '0.0.0.0' || host === '::';
if (!isIP(host)) fail(`invalid --host ${host}: give an IP address of this machine (or 0.0.0.0 for every interface)`);
const dataDir = flags['data-dir'];
// Only its owner may read it: it holds the database, the scan artifacts and the local secrets.
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const imagesDir = resolve(flags['images-dir'] ?? join(dataDir, 'images'));
mkdirSync(imagesDir, { recursive: true });

/** A local secret: from the environment, else generated once and kept in the data folder. */
function localSecret(variable: string, fileName: string): string {
  if (process.env[variable]) return process.env[variable];
  const file = join(dataDir, fileName);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

// The scanner bundle each local task runs, built now if a source is newer, so the first scan does not wait for it.
await freshScannerEntry('task');
const aws = await startLocalAws(flags['in-memory'] ? {} : { dynamoDbDir: join(dataDir, 'dynamodb'), s3Dir: join(dataDir, 's3') });
Object.assign(process.env, await createStackResources('harborguard'), {
  HG_SESSION_SECRET: localSecret('HG_SESSION_SECRET', 'session-secret'),
  // Seals stored registry passwords; losing it means entering them again.
  HG_REGISTRY_KEY: localSecret('HG_REGISTRY_KEY', 'registry-key'),
  HG_LOCAL_SOURCES_DIR: imagesDir,
  HG_EGRESS_ALLOW: [process.env.HG_EGRESS_ALLOW, LOOPBACK_EGRESS].filter(Boolean).join(','),
});

const server = createApiGatewayServer(await mountRouteGroups());
await new Promise<void>((resolve) => {
  // Stop DynamoDB Local before exiting, whether or not it stops cleanly.
  server.once('error', (error) => void aws.stop().finally(() => fail(`cannot listen on port ${port}: ${error.message}`)));
  server.listen(port, host, resolve);
});
const { port: bound } = server.address() as { port: number };
/** How this machine (and its scanner tasks) reach the API. */
const reachableHost = everyInterface ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
const apiUrl = `http://${reachableHost}:${bound}`;
const pipeline = await startLocalPipeline({ apiUrl, recoverInterruptedScans: true });
// A snapshot file rebuilt (or one published with `harborguard db update --publish`) re-matches the watched tags.
const localSnapshot = defaultDbPath(process.env);
const snapshotWatch = startSnapshotWatch(isS3Url(localSnapshot) ? {} : { file: localSnapshot });

const { apiDependencies } = await import('../functions/composition/api.ts');
const { bootstrapOrganization } = await import('../functions/domain/identity/bootstrap.ts');
let boot;
try {
  boot = await bootstrapOrganization({ apiKey: process.env.HG_BOOTSTRAP_API_KEY, pat: process.env.HG_BOOTSTRAP_PAT }, apiDependencies());
} catch (error) {
  await pipeline.stop();
  await aws.stop();
  fail((error as Error).message);
}

{
  const lines = [
    `HarborGuard is running at ${apiUrl}/api/scans`,
    `  data: ${flags['in-memory'] ? 'in memory (gone on exit)' : dataDir}`,
    boot.createdApiKey
      ? `  admin API key (shown once, keep it): ${boot.createdApiKey}`
      : `  admin API key: ${process.env.HG_BOOTSTRAP_API_KEY ? 'from HG_BOOTSTRAP_API_KEY' : `created on an earlier start (delete ${dataDir}/ to start afresh)`}`,
    boot.createdPat
      ? `  admin@localhost personal access token (shown once): ${boot.createdPat}`
      : `  admin@localhost PAT: ${process.env.HG_BOOTSTRAP_PAT ? 'from HG_BOOTSTRAP_PAT' : 'created on an earlier start'}`,
    // The file the local scanner tasks will read: they get HARBORGUARD_DB and HOME, not XDG_CACHE_HOME (local-pipeline.ts).
    `  ${await localSnapshotStatus({ HARBORGUARD_DB: process.env.HARBORGUARD_DB })}`,
    `  local images: put OCI layouts or image archives in ${imagesDir} and scan them as oci:<dir>[:tag], oci-archive:<file>, docker-archive:<file>`,
    `  try: curl -H "X-API-Key: $KEY" ${apiUrl}/api/scans`,
  ];
  if (!loopback) {
    process.stderr.write(
      `harborguard: warning: the API listens on ${everyInterface ? 'every interface' : host} (--host): anyone who can reach port ${bound} there can try credentials ` +
        "and, with one, read and change this organisation's data over plain HTTP. DynamoDB Local, SQS/S3 and the task endpoint stay on 127.0.0.1.\n",
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}

const closeServer = (api: Server) => new Promise<void>((resolve) => api.close(() => resolve()));

/**
 * In this order: no new requests (in-flight ones finish), no new scans from the queue, running
 * tasks stopped and their stop events handled (their scans FAILED with the reason), then the
 * stores. A second signal ends the process at once; the next start queues its scans again.
 */
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`harborguard: stopping (${signal}); running scans are stopped\n`);
    void closeServer(server)
      .then(() => snapshotWatch.stop())
      .then(() => pipeline.stop(`The local stack was stopped (${signal}) while the scan ran`))
      .then(() => aws.stop())
      .catch((error: Error) => process.stderr.write(`harborguard: stopping failed: ${error.message}\n`))
      .finally(() => process.exit(0));
  });
}
