// Deployment settings: CDK context values (`cdk deploy -c key=value` or cdk.json) with the
// defaults below. docs/DEPLOY.md lists them.
import type { Node } from 'constructs';
import { MATCHED_OSV_ECOSYSTEMS } from '#shared/ecosystems/ecosystem-of.ts';
import { checkHostLiteral, egressPolicy } from '#shared/egress/egress-policy.ts';

export interface Settings {
  /** Steady-state requests per second across the API stage, and the burst above it. */
  apiRateLimit: number;
  apiBurstLimit: number;
  /** Where alarm notifications go (optional; the SNS topic exists either way). */
  alarmEmail?: string;
  /** Fargate size of one scanner task (CPU units, MiB) and its scratch disk (GiB). */
  scannerCpu: number;
  scannerMemoryMiB: number;
  scannerEphemeralStorageGiB: number;
  /** TCP ports scanner tasks may reach (registries); 443 and 80 cover public ones. */
  scannerEgressPorts: number[];
  /**
   * Private registries scans may reach besides public addresses (HG_EGRESS_ALLOW): CIDRs, host
   * names or `*.domain`, e.g. a Harbor inside the VPC. Link-local (metadata) is never allowed;
   * loopback is refused here (it is the local stack's allowance, never a deployment's).
   */
  scannerEgressAllow: string[];
  /** Docker build arguments of the scanner image (e.g. a tool's SHA-256, scanner-task/Dockerfile). */
  scannerBuildArgs: Record<string, string>;
  /** Scan pipeline limits (functions/composition/ reads them from the environment). */
  maxRunningScans: number;
  maxRunningScansPerOrg: number;
  scanTimeoutSeconds: number;
  maxQueuedSeconds: number;
  /** Days after which scan artifacts move to infrequent access, and after which they expire. */
  artifactInfrequentAccessDays: number;
  artifactExpirationDays: number;
  /** Hours between runs of the advisory updater (a Fargate task: downloads the OSV dumps, publishes the snapshot). */
  advisoryUpdateIntervalHours: number;
  /** OSV ecosystems whose all.zip dumps the updater downloads, as OSV names them. */
  advisoryEcosystems: string[];
  /** Fargate size of the updater task (CPU units, MiB): the snapshot is built in memory. */
  advisoryUpdaterCpu: number;
  advisoryUpdaterMemoryMiB: number;
  /**
   * ECR pushes in this account and region sent to an `ecr` integration (infra/constructs/ecr-push-hook.ts):
   * its id, and the Secrets Manager secret holding its secret. Off unless both are set.
   */
  ecrPushHook?: { integrationId: string; secretName: string };
}

export const DEFAULT_SETTINGS: Settings = {
  apiRateLimit: 50,
  apiBurstLimit: 100,
  scannerCpu: 2048,
  scannerMemoryMiB: 4096,
  scannerEphemeralStorageGiB: 40,
  scannerEgressPorts: [443, 80],
  scannerEgressAllow: [],
  scannerBuildArgs: {},
  maxRunningScans: 50,
  maxRunningScansPerOrg: 10,
  scanTimeoutSeconds: 900,
  maxQueuedSeconds: 3600,
  artifactInfrequentAccessDays: 30,
  artifactExpirationDays: 365,
  advisoryUpdateIntervalHours: 6,
  // Every ecosystem the engine looks packages up in, as the ecosystem table lists them.
  advisoryEcosystems: [...MATCHED_OSV_ECOSYSTEMS],
  advisoryUpdaterCpu: 1024,
  advisoryUpdaterMemoryMiB: 4096,
};

function numberSetting(node: Node, key: keyof Settings, fallback: number): number {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`Context ${key} must be a positive number, got ${String(raw)}`);
  return value;
}

function listSetting(node: Node, key: keyof Settings, fallback: string[]): string[] {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  // From cdk.json a list; from the command line a string: "Debian,npm".
  const values = (Array.isArray(raw) ? raw.map(String) : String(raw).split(',')).map((value) => value.trim()).filter(Boolean);
  if (values.length === 0) throw new Error(`Context ${key} must name at least one value`);
  return values;
}

function buildArgs(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  // From cdk.json an object; from `-c scannerBuildArgs='{"K":"v"}'` a JSON string.
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new Error('Context scannerBuildArgs must map build argument names to strings');
  }
  return value as Record<string, string>;
}

function egressAllowSetting(node: Node): string[] {
  const raw: unknown = node.tryGetContext('scannerEgressAllow');
  if (raw === undefined) return DEFAULT_SETTINGS.scannerEgressAllow;
  const entries = (Array.isArray(raw) ? raw.map(String) : String(raw).split(',')).map((entry) => entry.trim()).filter(Boolean);
  const allowsLoopback = (entry: string) => {
    const policy = egressPolicy(entry);
    return checkHostLiteral(policy, '127.0.0.1').allowed || checkHostLiteral(policy, '[::1]').allowed || checkHostLiteral(policy, 'localhost').allowed;
  };
  const loopback = entries.filter(allowsLoopback);
  if (loopback.length > 0)
    throw new Error(`Context scannerEgressAllow must not allow loopback (${loopback.join(', ')}): scanner tasks would reach their own sidecars`);
  return entries;
}

export function readSettings(node: Node): Settings {
  const ports: unknown = node.tryGetContext('scannerEgressPorts');
  const email: unknown = node.tryGetContext('alarmEmail');
  return {
    apiRateLimit: numberSetting(node, 'apiRateLimit', DEFAULT_SETTINGS.apiRateLimit),
    apiBurstLimit: numberSetting(node, 'apiBurstLimit', DEFAULT_SETTINGS.apiBurstLimit),
    ...(typeof email === 'string' && email.length > 0 ? { alarmEmail: email } : {}),
    scannerCpu: numberSetting(node, 'scannerCpu', DEFAULT_SETTINGS.scannerCpu),
    scannerMemoryMiB: numberSetting(node, 'scannerMemoryMiB', DEFAULT_SETTINGS.scannerMemoryMiB),
    scannerEphemeralStorageGiB: numberSetting(node, 'scannerEphemeralStorageGiB', DEFAULT_SETTINGS.scannerEphemeralStorageGiB),
    // Context given on the command line arrives as a string: "443,80,5000".
    scannerEgressPorts: ports === undefined ? DEFAULT_SETTINGS.scannerEgressPorts : String(ports).split(',').map(Number),
    scannerEgressAllow: egressAllowSetting(node),
    scannerBuildArgs: buildArgs(node.tryGetContext('scannerBuildArgs')),
    maxRunningScans: numberSetting(node, 'maxRunningScans', DEFAULT_SETTINGS.maxRunningScans),
    maxRunningScansPerOrg: numberSetting(node, 'maxRunningScansPerOrg', DEFAULT_SETTINGS.maxRunningScansPerOrg),
    scanTimeoutSeconds: numberSetting(node, 'scanTimeoutSeconds', DEFAULT_SETTINGS.scanTimeoutSeconds),
    maxQueuedSeconds: numberSetting(node, 'maxQueuedSeconds', DEFAULT_SETTINGS.maxQueuedSeconds),
    artifactInfrequentAccessDays: numberSetting(node, 'artifactInfrequentAccessDays', DEFAULT_SETTINGS.artifactInfrequentAccessDays),
    artifactExpirationDays: numberSetting(node, 'artifactExpirationDays', DEFAULT_SETTINGS.artifactExpirationDays),
    advisoryUpdateIntervalHours: numberSetting(node, 'advisoryUpdateIntervalHours', DEFAULT_SETTINGS.advisoryUpdateIntervalHours),
    advisoryEcosystems: listSetting(node, 'advisoryEcosystems', DEFAULT_SETTINGS.advisoryEcosystems),
    advisoryUpdaterCpu: numberSetting(node, 'advisoryUpdaterCpu', DEFAULT_SETTINGS.advisoryUpdaterCpu),
    advisoryUpdaterMemoryMiB: numberSetting(node, 'advisoryUpdaterMemoryMiB', DEFAULT_SETTINGS.advisoryUpdaterMemoryMiB),
    ...ecrPushHookSetting(node),
  };
}

function ecrPushHookSetting(node: Node): Pick<Settings, 'ecrPushHook'> {
  const integrationId: unknown = node.tryGetContext('ecrPushIntegrationId');
  const secretName: unknown = node.tryGetContext('ecrPushSecretName');
  if (integrationId === undefined && secretName === undefined) return {};
  if (typeof integrationId !== 'string' || !/^int_[A-Za-z0-9_-]{16}$/.test(integrationId) || typeof secretName !== 'string' || secretName.length === 0)
    throw new Error('Context ecrPushIntegrationId (an int_… id) and ecrPushSecretName (a Secrets Manager secret) go together');
  return { ecrPushHook: { integrationId, secretName } };
}
