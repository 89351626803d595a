// What each Lambda reads from its environment, by name, and the one reader of it. Infra gives
// each function exactly its list (infra/function-environment.ts; test/infra asserts it), and
// each factory in this folder reads through `configuration(list)`, which accepts no other name:
// a variable a factory starts to read must be added here, and so reaches its function.

/** Every API function that authenticates callers: the table, and the session-signing secret's ARN. */
export const API_ENVIRONMENT = ['TABLE_NAME', 'HG_SESSION_SECRET_ARN'] as const;
const API = API_ENVIRONMENT;

export const ROUTE_GROUP_ENVIRONMENT = {
  // Submissions are judged by the scanners in the image, the queue deadline and the egress
  // policy; delete removes objects; cancel and delete stop the scan's task in its cluster.
  // Cancel publishes scan.cancelled.
  scans: [...API, 'ARTIFACT_BUCKET', 'SCAN_QUEUE_URL', 'SCANNER_CLUSTER', 'HG_SCANNERS', 'HG_MAX_QUEUED_SECONDS', 'HG_EGRESS_ALLOW', 'WEBHOOK_QUEUE_URL'],
  'scan-sbom': [...API, 'ARTIFACT_BUCKET'],
  'scan-raw-outputs': [...API, 'ARTIFACT_BUCKET'],
  // A large upload is left to the ingest job, which must finish within the scan's timeout;
  // an ingest or a failure report publishes the scan's events.
  'scan-upload': [...API, 'ARTIFACT_BUCKET', 'INGEST_QUEUE_URL', 'HG_SCAN_TIMEOUT_SECONDS', 'WEBHOOK_QUEUE_URL'],
  // A run started by hand is planned by the re-match job.
  watch: [...API, 'WATCH_QUEUE_URL'],
  images: API,
  vulnerabilities: API,
  'api-keys': API,
  'personal-access-tokens': API,
  members: API,
  triage: API,
  // Seals registry passwords; refuses registry hosts the egress policy refuses.
  registries: [...API, 'HG_REGISTRY_KEY_ARN', 'HG_EGRESS_ALLOW'],
  // Seals signing secrets; refuses receiver URLs the egress policy refuses; test and redeliver queue deliveries.
  webhooks: [...API, 'HG_REGISTRY_KEY_ARN', 'HG_EGRESS_ALLOW', 'WEBHOOK_QUEUE_URL'],
  // Seals hook secrets; checks the scanners an integration names against the image's.
  integrations: [...API, 'HG_REGISTRY_KEY_ARN', 'HG_SCANNERS'],
  // Opens hook secrets; submits scans as POST /api/scans does (scanners, queue deadline, egress).
  // Verifies callers by integration secret alone: no session secret.
  hooks: ['TABLE_NAME', 'HG_REGISTRY_KEY_ARN', 'SCAN_QUEUE_URL', 'HG_SCANNERS', 'HG_MAX_QUEUED_SECONDS', 'HG_EGRESS_ALLOW'],
  // Public routes only: no table, no secret (functions/http/meta/handler.ts).
  meta: [],
} as const satisfies Record<string, readonly string[]>;

const RUN_TASK = [
  'SCANNER_CLUSTER',
  'SCANNER_TASK_DEFINITION',
  'SCANNER_CONTAINER_NAME',
  'SCANNER_SUBNETS',
  'SCANNER_SECURITY_GROUPS',
  'SCANNER_ASSIGN_PUBLIC_IP',
] as const;

export const JOB_ENVIRONMENT = {
  // Starts tasks that upload to the API, within the running caps and the scan timeout.
  dispatcher: ['TABLE_NAME', 'HG_API_URL', 'HG_SCAN_TIMEOUT_SECONDS', 'HG_MAX_RUNNING_SCANS', 'HG_MAX_RUNNING_SCANS_PER_ORG', ...RUN_TASK],
  // Fails overdue scans and stops their tasks.
  reaper: ['TABLE_NAME', 'SCANNER_CLUSTER', 'WEBHOOK_QUEUE_URL'],
  'task-events': ['TABLE_NAME', 'WEBHOOK_QUEUE_URL'],
  ingest: ['TABLE_NAME', 'ARTIFACT_BUCKET', 'WEBHOOK_QUEUE_URL'],
  // Opens signing secrets and posts to receivers through the egress policy.
  'webhook-delivery': ['TABLE_NAME', 'WEBHOOK_QUEUE_URL', 'WEBHOOK_DLQ_URL', 'HG_REGISTRY_KEY_ARN', 'HG_EGRESS_ALLOW'],
  // Plans re-match runs and works their batches: the published snapshot, the scans and artifacts
  // it re-matches, its own queue for the batches, and the events a re-match publishes.
  // The snapshot is the artifact bucket's ADVISORY_SNAPSHOT_OBJECT, where the updater publishes it.
  // Registry checks open stored credentials, reach registries through the egress policy and
  // queue the scans of tags that moved, as a submission would.
  rematch: [
    'TABLE_NAME',
    'ARTIFACT_BUCKET',
    'ADVISORY_SNAPSHOT_OBJECT',
    'WEBHOOK_QUEUE_URL',
    'WATCH_QUEUE_URL',
    'SCAN_QUEUE_URL',
    'HG_SCANNERS',
    'HG_MAX_QUEUED_SECONDS',
    'HG_EGRESS_ALLOW',
    'HG_REGISTRY_KEY_ARN',
  ],
  // Queues the day's registry checks of the watched tags.
  'registry-check': ['TABLE_NAME', 'WATCH_QUEUE_URL'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The local stack's alternatives, never deployed: secrets by value instead of by Secrets
 * Manager ARN, and the folder local image sources may lie in (AWS refuses such sources).
 */
export const LOCAL_ONLY_ENVIRONMENT = ['HG_SESSION_SECRET', 'HG_REGISTRY_KEY', 'HG_LOCAL_SOURCES_DIR'] as const;

type Values<T> = T[keyof T];
/** A variable some deployed function reads. */
export type DeployedVariable =
  | Values<{ [K in keyof typeof ROUTE_GROUP_ENVIRONMENT]: (typeof ROUTE_GROUP_ENVIRONMENT)[K][number] }>
  | Values<{ [K in keyof typeof JOB_ENVIRONMENT]: (typeof JOB_ENVIRONMENT)[K][number] }>;

export interface Configuration<Name extends string> {
  /** The value, or a "Missing configuration" error naming the variable. */
  required(name: Name): string;
  optional(name: Name): string | undefined;
  /** A positive number; `fallback` when unset (the local stack's defaults). */
  positive(name: Name, fallback: number): number;
  /** A comma-separated list, trimmed, empty items dropped. */
  list(name: Name, fallback?: string): string[];
}

export function configuration<const Name extends string>(names: readonly Name[], env: NodeJS.ProcessEnv = process.env): Configuration<Name> {
  // Also checked at run time: a name passed through a wider type (`as`) is still refused.
  const allowed = new Set<string>(names);
  const read = (name: Name) => {
    if (!allowed.has(name)) throw new Error(`Configuration ${name} is not in this function's environment list (functions/composition/environment.ts)`);
    return env[name] || undefined;
  };
  return {
    required(name) {
      const value = read(name);
      if (!value) throw new Error(`Missing configuration: ${name}`);
      return value;
    },
    optional: read,
    positive(name, fallback) {
      const value = Number(read(name) ?? fallback);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`Invalid configuration: ${name} must be a positive number`);
      return value;
    },
    list: (name, fallback = '') =>
      (read(name) ?? fallback)
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
  };
}
