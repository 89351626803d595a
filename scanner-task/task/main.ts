// The Fargate scanner task: scan one image for one scan and report to the control plane.
// Everything comes from the environment the dispatcher set (ECS container overrides; locally
// the child process environment). Exit 0 after a successful upload, 1 after a reported failure.
import * as z from '#shared/validation.ts';
import { egressPolicy, type EgressPolicy } from '#shared/egress/egress-policy.ts';
import { isRawOutputScanner } from '#shared/scans/scanners.ts';
import { logger } from '#shared/logging/logger.ts';
import { SCAN_ID_PATTERN } from '#shared/scans/scan-contract.ts';
import { addFindings } from '../engine/add-findings.ts';
import { runScan } from '../engine/run-scan.ts';
import { toEnvelope } from '../report/envelope.ts';
import { egressFetch } from '#shared/egress/egress-fetch.ts';
import { ControlPlaneClient, DEFAULT_INGEST_WAIT } from './control-plane-client.ts';
import { ControlPlaneLayerCache } from './control-plane-layer-cache.ts';
import { failureCodeOf } from './failure-code.ts';
import { permittedSource } from './local-source-policy.ts';
import { plainHttpAllowed } from '#shared/registry/registry-policy.ts';

const taskEnvironment = z.object({
  HG_SCAN_ID: z.string().check(z.regex(SCAN_ID_PATTERN)),
  HG_IMAGE: z.string().check(z.minLength(1)),
  HG_SCANNERS: z._default(z.string(), 'harborguard'),
  HG_API_URL: z.url(),
  HG_UPLOAD_KEY: z.string().check(z.minLength(1)),
  /** The organisation's registry settings, as the dispatcher found them (never the credentials). */
  HG_REGISTRY_PLAIN_HTTP: z.optional(z.enum(['true'])),
  HG_REGISTRY_CREDENTIALS: z.optional(z.enum(['true'])),
  /** The runtime's own local-sources folder (local stack only; never from the dispatcher). */
  HG_LOCAL_SOURCES_DIR: z.optional(z.string()),
  /** Private ranges and hosts the operator lets scans reach (the task definition's, never the dispatcher's). */
  HG_EGRESS_ALLOW: z._default(z.string(), ''),
});

const parsed = taskEnvironment.safeParse(process.env);
if (!parsed.success) {
  logger.critical('invalid environment', { variables: parsed.error.issues.map((i) => i.path.join('.')) });
  process.exit(2);
}
const env = parsed.data;
let egress: EgressPolicy;
try {
  egress = egressPolicy(env.HG_EGRESS_ALLOW);
} catch (error) {
  logger.critical('invalid egress allowance', { error: error as Error });
  process.exit(2);
}
// The control plane and its pre-signed storage URLs are reached under the same policy as registries.
const client = new ControlPlaneClient(env.HG_API_URL, env.HG_UPLOAD_KEY, DEFAULT_INGEST_WAIT, egressFetch(egress));
// Every line names the scan (the task's CloudWatch stream holds one scan's lines, but the local stack mixes them).
logger.appendPersistentKeys({ scanId: env.HG_SCAN_ID });
const log = (message: string, fields: Record<string, unknown> = {}) => logger.info(message, fields);

try {
  await client.progress(env.HG_SCAN_ID, 'pulling', 5);
  let lastReported = 0;
  const plainHttp = plainHttpAllowed(env.HG_IMAGE, env.HG_REGISTRY_PLAIN_HTTP === 'true');
  // Pull credentials are fetched with the scan-scoped key, for this scan only.
  const stored = env.HG_REGISTRY_CREDENTIALS ? await client.registryCredentials(env.HG_SCAN_ID) : undefined;
  const credentials = stored?.credentials;
  const realmHosts = stored?.tokenRealms ?? [];
  const source = await permittedSource(env.HG_IMAGE, env.HG_LOCAL_SOURCES_DIR);
  const engineReport = await runScan(source, {
    egress,
    // The organisation's layer cache, through URLs the control plane signs for this scan only.
    layerCache: new ControlPlaneLayerCache(client, env.HG_SCAN_ID),
    realmHosts,
    ...(plainHttp ? { plainHttpFallback: true } : {}),
    ...(credentials ? { credentials } : {}),
    onProgress: (message) => {
      // The engine's own warnings (an entry the layer cache could not store) are for the task's log.
      if (message.startsWith('warning:')) logger.warn(message);
      // The engine reports often; the control plane hears at most one update every 2 s.
      if (Date.now() - lastReported < 2000) return;
      lastReported = Date.now();
      void client.progress(env.HG_SCAN_ID, 'scanning', 50).catch(() => undefined);
    },
  });
  await client.progress(env.HG_SCAN_ID, 'matching', 60);
  // The advisory snapshot: in a deployment the one the updater published to S3
  // (HARBORGUARD_DB_S3_BUCKET/_KEY, cached by ETag), locally a file ($HARBORGUARD_DB). Then the
  // external tools the scan asked for, one after another.
  const { report, runs } = await addFindings(engineReport, source, {
    runtime: 'task',
    scanners: env.HG_SCANNERS.split(',').filter((name) => name && name !== 'harborguard'),
    scannerOptions: {
      // A registry image: the tools pull it themselves, the way the engine did.
      // Their own --insecure flags try HTTPS first too.
      registry: { egress, realmHosts, ...(plainHttp ? { insecure: true } : {}), ...(credentials ? { credentials } : {}) },
      onStart: (name) => void client.progress(env.HG_SCAN_ID, `scanning: ${name}`, 70).catch(() => undefined),
    },
    onAdvisoryDb: ({ fetched, unmatched }) => {
      if (fetched) log('advisory snapshot', { status: fetched.status, etag: fetched.etag });
      if (unmatched) log('no advisory database', { reason: unmatched });
    },
  });
  for (const { scanner } of runs) if (scanner.error) log('scanner did not complete', { scanner: scanner.name, status: scanner.status, reason: scanner.error });
  await client.progress(env.HG_SCAN_ID, 'uploading', 90);
  const envelope = toEnvelope(report, env.HG_SCAN_ID);
  await client.upload(envelope);
  log('scan uploaded', { packages: envelope.packages.length, layers: envelope.layers.length, scanners: envelope.scanners.map((s) => s.name) });
  // The tools' own outputs, after the envelope: the scan is COMPLETE already, so one that cannot
  // be stored is logged and the task still succeeds.
  for (const { scanner, rawOutput } of runs) {
    if (!rawOutput || !isRawOutputScanner(scanner.name)) continue;
    if ('omitted' in rawOutput) {
      log('raw output not stored', { scanner: scanner.name, reason: rawOutput.omitted, bytes: rawOutput.bytes });
      continue;
    }
    await client
      .uploadRawOutput(env.HG_SCAN_ID, scanner.name, rawOutput.json)
      .catch((error: Error) => log('could not store the raw output', { scanner: scanner.name, detail: error.message }));
  }
  process.exit(0);
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  const code = failureCodeOf(error);
  logger.error('scan failed', { code, error: error instanceof Error ? error : reason });
  await client.failure(env.HG_SCAN_ID, code, reason).catch((reportError: Error) => logger.error('could not report the failure', { error: reportError }));
  process.exit(1);
}
