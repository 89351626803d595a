// How a scanner (the Fargate task, or a sensor) talks to the control plane: progress,
// failure, the envelope upload, the scanners' raw outputs and the scan's registry credentials,
// with the scan-scoped or sensor API key. Every request goes through the fetch it is given: the
// task's is bound to its egress policy, like the registry pulls (shared/egress/egress-fetch.ts).
import { gzipSync } from 'node:zlib';
import * as z from '#shared/validation.ts';
import { bodyOf, egressDenial, egressFetch, ResponseTooLargeError, type Fetch } from '#shared/egress/egress-fetch.ts';
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import type { RawOutputScanner } from '#shared/scans/scanners.ts';
import type { FailureCode } from '#shared/scans/scan-contract.ts';
import { layerCacheUrlsSchema, type LayerCacheUrls } from '#shared/layer-cache/layer-cache-contract.ts';

export class ControlPlaneError extends Error {
  constructor(
    message: string,
    /** The HTTP status the API or storage answered, when it answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** API Gateway refuses request bodies over 10 MB: a larger gzip envelope goes through S3. */
export const DIRECT_UPLOAD_LIMIT = 10 * 1024 * 1024;

/**
 * A large upload is answered 202 INGESTING and ingested by a job: upload() asks
 * GET /api/scans/{id}/ingest this often until it is done, for at most this long (the ingest
 * job's timeout times its deliveries, with room).
 */
export const DEFAULT_INGEST_WAIT = { intervalMs: 2_000, timeoutMs: 30 * 60_000 };

/** A well-formed scan id that no scan is given (generated ids have 12 characters), for the key check. */
const KEY_CHECK_SCAN_ID = 'scn-sensor-key-check';

type Body = { json: unknown } | { gzip: Uint8Array<ArrayBuffer> };

/** The control plane's answers are small JSON documents; storage's error bodies smaller still. */
const ANSWER_LIMIT = 1024 * 1024;

/** Transient failures (network, 429, 5xx) are retried with backoff; any other 4xx is final. */
async function withRetries<T>(attempt: () => Promise<T>, attempts = 5): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** i));
    try {
      return await attempt();
    } catch (error) {
      lastError = error;
      // Neither a refused address nor an oversized answer gets better by asking again.
      if (egressDenial(error) || error instanceof ResponseTooLargeError) throw error;
      const status = error instanceof ControlPlaneError ? error.status : undefined;
      if (status !== undefined && status < 500 && status !== 429) throw error;
    }
  }
  throw lastError;
}

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
    private readonly ingestWait = DEFAULT_INGEST_WAIT,
    private readonly fetch: Fetch = egressFetch(undefined),
  ) {
    this.base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  }

  private async send(method: 'GET' | 'POST', path: string, body?: Body, attempts?: number): Promise<unknown> {
    const json = body && 'json' in body ? JSON.stringify(body.json) : undefined;
    const text = await withRetries(async () => {
      const response = await this.fetch(new URL(path, this.base), {
        method,
        headers: {
          'X-API-Key': this.apiKey,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...(body && 'gzip' in body ? { 'Content-Encoding': 'gzip' } : {}),
        },
        ...(body ? { body: 'gzip' in body ? body.gzip : json } : {}),
      });
      const answer = (await bodyOf(response, ANSWER_LIMIT)).toString('utf8');
      if (!response.ok) throw new ControlPlaneError(`${path}: ${response.status} ${errorMessage(answer)}`.slice(0, 500), response.status);
      return answer;
    }, attempts);
    return text ? JSON.parse(text) : undefined;
  }

  /**
   * Refuses, before any scanning, a key that could not upload. GET …/ingest admits sensor keys
   * only and is read-only: asked about a scan id no scan has, a sensor key gets 404, any other
   * key 403, an unknown or revoked one 401.
   */
  async assertSensorKey(): Promise<void> {
    const path = `api/scans/${KEY_CHECK_SCAN_ID}/ingest`;
    try {
      await this.send('GET', path);
    } catch (error) {
      if (!(error instanceof ControlPlaneError)) throw error;
      if (error.status === 404) return;
      if (error.status !== 401 && error.status !== 403) throw error;
      const reason = error.message.slice(`${path}: `.length);
      throw new ControlPlaneError(`the control plane refused this API key (${reason}); --upload needs a sensor API key`, error.status);
    }
  }

  progress(scanId: string, stage: string, percent: number): Promise<unknown> {
    return this.send('POST', `api/scans/${scanId}/progress`, { json: { stage, percent: Math.max(0, Math.min(100, Math.round(percent))) } });
  }

  failure(scanId: string, code: FailureCode, reason: string): Promise<unknown> {
    return this.send('POST', `api/scans/${scanId}/failure`, { json: { code, reason: reason.slice(0, 2000) } });
  }

  /**
   * The pull credentials the organisation stored for this scan's registry (scan-scoped key only),
   * and the token-service hosts besides the registry's own that may receive them.
   */
  async registryCredentials(scanId: string): Promise<{ credentials: { username: string; password: string }; tokenRealms: string[] }> {
    const { data } = (await this.send('GET', `api/scans/${scanId}/registry-credentials`)) as {
      data: { username: string; password: string; tokenRealms?: string[] };
    };
    return { credentials: { username: data.username, password: data.password }, tokenRealms: data.tokenRealms ?? [] };
  }

  /**
   * Gzip and POST the envelope (beyond API Gateway's limit, PUT it to a pre-signed S3 URL
   * first), and once it is ingested, the upload's answer. A retried POST is safe: the control
   * plane recognises an envelope it already has and never ingests it twice.
   */
  async upload(envelope: ScanEnvelope): Promise<unknown> {
    return this.ingested(envelope.scan.id, await this.postEnvelope(envelope));
  }

  private async postEnvelope(envelope: ScanEnvelope): Promise<unknown> {
    const gzip = new Uint8Array(gzipSync(JSON.stringify(envelope)));
    if (gzip.length <= DIRECT_UPLOAD_LIMIT) return this.send('POST', 'api/scans/upload', { gzip });
    const { data } = (await this.send('POST', 'api/scans/upload-url', { json: { scanId: envelope.scan.id } })) as {
      data: { url: string; envelopeS3Key: string };
    };
    await withRetries(() => this.putToPresignedUrl(data.url, gzip, 'envelope upload to storage'));
    return this.send('POST', 'api/scans/upload', { json: { envelopeS3Key: data.envelopeS3Key } });
  }

  /** Waits out a 202 INGESTING; an ingest that ended otherwise than COMPLETE is an error. */
  private async ingested(scanId: string, answer: unknown): Promise<unknown> {
    const deadline = Date.now() + this.ingestWait.timeoutMs;
    let current = answer as { data?: { status?: string } } | undefined;
    while (current?.data?.status === 'INGESTING') {
      if (Date.now() > deadline) throw new ControlPlaneError(`scan ${scanId}: still ingesting after ${Math.round(this.ingestWait.timeoutMs / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, this.ingestWait.intervalMs));
      current = (await this.send('GET', `api/scans/${scanId}/ingest`)) as typeof current;
    }
    if (current?.data?.status !== undefined && current.data.status !== 'COMPLETE')
      throw new ControlPlaneError(`scan ${scanId}: the upload was not ingested (${current.data.status})`);
    return current;
  }

  /** Gzip one scanner's raw output of the scan and PUT it to the pre-signed URL the control plane gives for it. */
  async uploadRawOutput(scanId: string, scanner: RawOutputScanner, json: string): Promise<void> {
    const gzip = new Uint8Array(gzipSync(json));
    const { data } = (await this.send('POST', 'api/scans/upload-url', { json: { scanId, scanner } })) as { data: { url: string } };
    await withRetries(() => this.putToPresignedUrl(data.url, gzip, `${scanner} raw output upload to storage`));
  }

  /**
   * GET and PUT URLs of the organisation's layer-cache entries for these keys (at most
   * MAX_LAYER_CACHE_KEYS_PER_REQUEST), for this scan. Asked twice at most: a cache must not hold a scan up.
   */
  async layerCacheUrls(scanId: string, keys: readonly string[]): Promise<LayerCacheUrls> {
    const answer = await this.send('POST', `api/scans/${scanId}/layer-cache`, { json: { keys } }, 2);
    const parsed = z.object({ data: layerCacheUrlsSchema }).safeParse(answer);
    if (!parsed.success) throw new ControlPlaneError(`api/scans/${scanId}/layer-cache: an answer of unexpected shape`);
    return parsed.data.data;
  }

  /** The object behind a pre-signed GET URL, at most `maxBytes` (ResponseTooLargeError beyond); undefined when storage has none (404, or 403 where it may not say). */
  async readPresigned(url: string, maxBytes: number): Promise<Buffer | undefined> {
    const response = await this.fetch(url);
    if (response.status === 404 || response.status === 403) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      const answer = (await bodyOf(response, ANSWER_LIMIT)).toString('utf8');
      throw new ControlPlaneError(`read from storage: ${response.status} ${answer.slice(0, 300)}`, response.status);
    }
    return bodyOf(response, maxBytes);
  }

  /** PUTs the bytes to a pre-signed URL, retried once on a transient failure. */
  async writePresigned(url: string, bytes: Uint8Array, what: string): Promise<void> {
    await withRetries(() => this.putToPresignedUrl(url, new Uint8Array(bytes), what), 2);
  }

  /** PUTs the bytes to a pre-signed URL; resolves on 2xx. */
  private async putToPresignedUrl(url: string, body: Uint8Array<ArrayBuffer>, what: string): Promise<void> {
    const response = await this.fetch(url, { method: 'PUT', body });
    const answer = (await bodyOf(response, ANSWER_LIMIT)).toString('utf8');
    if (!response.ok) throw new ControlPlaneError(`${what}: ${response.status} ${answer.slice(0, 300)}`, response.status);
  }
}
