// Structured JSON logs for the non-HTTP jobs: one line per event, never a secret.
export function logLine(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  if (process.env.HG_LOG_REQUESTS === 'off') return;
  process.stdout.write(JSON.stringify({ level, msg, ...fields }) + '\n');
}
