// The job functions this deployment wires (functions/jobs/<name>/handler.ts). Adding one is a
// line here (name + entry) and its settings in ./job-settings.ts.
export interface JobEntry {
  name: string;
  /** The handler module, relative to functions/jobs/. */
  entry: string;
}

export const JOB_FUNCTIONS: JobEntry[] = [];
