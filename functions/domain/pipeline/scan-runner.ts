// The port that runs a scanner task somewhere (ECS Fargate; locally a child process).
export interface ScannerTaskSpec {
  scanId: string;
  orgId: string;
  image: string;
  scanners: string[];
  /** Where the task uploads its envelope, progress and failure. */
  apiUrl: string;
  /** The task's upload credential, scoped to this scan. */
  uploadKey: string;
  /**
   * The organisation's settings for the image's registry. Only whether credentials exist: the
   * task fetches them with its upload key, so they never appear in the task's overrides.
   */
  registry: { allowPlainHttp: boolean; credentials: boolean };
}

export interface ScanRunner {
  /** Starts the task; its id (task ARN). Throws when the task could not be started. */
  runTask(spec: ScannerTaskSpec): Promise<string>;
  stopTask(taskArn: string, reason: string): Promise<void>;
}

/** What a function that only ends scans needs of the runner (the API, the reaper): no RunTask. */
export type TaskStopper = Pick<ScanRunner, 'stopTask'>;
