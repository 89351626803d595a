// How a scanner (the Fargate task, or a sensor) talks to the control plane: progress,
// failure, the envelope upload and the scan's registry credentials, with the scan-scoped or
// sensor API key.
import { gzipSync } from 'node:zlib';
import type { ScanEnvelope } from '#domain/envelope/envelope-schema.ts';
import type { FailureCode } from '#domain/scans/scan.ts';

export class ControlPlaneError extends Error {}

function errorMessage(body: string): string {
  try {
    return (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body;
  } catch {
    return body;
  }
}

export class ControlPlaneClient {
  private readonly base: string;

  /** `apiUrl` may carry a path (API Gateway's stage, e.g. …/prod/): requests stay under it. */
  constructor(
    apiUrl: string,
    private readonly apiKey: string,
  ) {
    this.base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown, gzip = false): Promise<unknown> {
    const json = body === undefined ? undefined : JSON.stringify(body);
    let lastError: Error = new ControlPlaneError(`${path}: not sent`);
    // Transient failures (network, 429, 5xx) are retried with backoff; any other 4xx is final.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      let response: Response;
      try {
        response = await fetch(new URL(path, this.base), {
          method,
          headers: { 'X-API-Key': this.apiKey, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) },
          ...(json !== undefined ? { body: gzip ? new Uint8Array(gzipSync(json)) : json } : {}),
        });
      } catch (error) {
        lastError = error as Error;
        continue;
      }
      const text = await response.text();
      if (response.ok) return text ? JSON.parse(text) : undefined;
      lastError = new ControlPlaneError(`${path}: ${response.status} ${errorMessage(text)}`.slice(0, 500));
      if (response.status < 500 && response.status !== 429) throw lastError;
    }
    throw lastError;
  }

  progress(scanId: string, stage: string, percent: number): Promise<unknown> {
    return this.send('POST', `api/scans/${scanId}/progress`, { stage, percent: Math.max(0, Math.min(100, Math.round(percent))) });
  }

  failure(scanId: string, code: FailureCode, reason: string): Promise<unknown> {
    return this.send('POST', `api/scans/${scanId}/failure`, { code, reason: reason.slice(0, 2000) });
  }

  /** The pull credentials the organisation stored for this scan's registry (scan-scoped key only). */
  async registryCredentials(scanId: string): Promise<{ username: string; password: string }> {
    const { data } = (await this.send('GET', `api/scans/${scanId}/registry-credentials`)) as { data: { username: string; password: string } };
    return { username: data.username, password: data.password };
  }

  upload(envelope: ScanEnvelope): Promise<unknown> {
    return this.send('POST', 'api/scans/upload', envelope, true);
  }
}
