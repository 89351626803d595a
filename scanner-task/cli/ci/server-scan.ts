// `harborguard ci` against a HarborGuard server: submit the image (POST /api/scans), wait for the
// scan to end (GET …/status, progress on stderr), read the result (GET /api/scans/{id}). A 429 is
// waited out as its Retry-After says, within the deadline; everything that keeps the gate from
// deciding (the server unreachable, the key refused, the scan failed, the deadline) is a
// ServerScanError, which the command prints in one line and exits 2 on.
import { bodyOf, egressDenial, egressFetch, type Fetch } from '#shared/egress/egress-fetch.ts';
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import type { ServerScanDetail } from './server-gate-input.ts';

export class ServerScanError extends Error {
  override readonly name = 'ServerScanError';
}

export interface ServerScanOptions {
  url: string;
  apiKey: string;
  /** More hosts or CIDRs the requests may reach (--restrict-egress's list), besides the server's own host. */
  allowEgress?: string;
  /** When to give up waiting (the scan goes on on the server). */
  deadline: number;
  progress: (message: string) => void;
  /** How often to ask for the status (default: quickly at first, then every 2 s: pollDelay). */
  pollMs?: number;
}

const ANSWER_LIMIT = 64 * 1024 * 1024;
const TERMINAL = new Set(['COMPLETE', 'FAILED', 'CANCELLED']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Often while a scan is young (most finish within seconds, and the gate should not add a poll
 * interval to each), every 2 s once it has run a minute: status reads are cheap and unlimited.
 */
const pollDelay = (elapsedMs: number): number => (elapsedMs < 10_000 ? 100 : elapsedMs < 60_000 ? 1_000 : 2_000);

interface StatusView {
  status: string;
  progress?: { stage: string; percent: number };
  failure?: { code: string; reason: string };
}

export class ServerScan {
  private readonly base: URL;
  private readonly fetch: Fetch;

  constructor(private readonly options: ServerScanOptions) {
    try {
      this.base = new URL(options.url);
    } catch {
      throw new ServerScanError(`--url ${options.url}: not a URL`);
    }
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') throw new ServerScanError(`--url ${options.url}: not an http(s) URL`);
    // Through the egress policy, on the address actually connected to, with its timeouts: the
    // server's own host wherever it resolves (an on-premises server is private, the local stack
    // loopback), anything else only when public or listed, and link-local (cloud metadata) never.
    const host = this.base.hostname.replace(/^\[(.*)\]$/, '$1');
    this.fetch = egressFetch(egressPolicy([options.allowEgress ?? '', host].filter(Boolean).join(',')));
  }

  /** Scans `image` on the server and returns the completed scan. */
  async scan(image: string): Promise<ServerScanDetail> {
    const queued = await this.request<{ scanId: string }>('POST', '/api/scans', { image });
    this.options.progress(`scan ${queued.scanId} queued on ${this.base.host}`);
    await this.waitFor(queued.scanId);
    return this.detail(queued.scanId);
  }

  async detail(scanId: string): Promise<ServerScanDetail> {
    return (await this.request<{ data: ServerScanDetail }>('GET', `/api/scans/${encodeURIComponent(scanId)}`)).data;
  }

  /** Where a person sees the scan. */
  dashboardUrl(scanId: string): string {
    return new URL(`/dashboard/scans/${encodeURIComponent(scanId)}`, this.base).href;
  }

  private async waitFor(scanId: string): Promise<void> {
    const started = Date.now();
    let said = '';
    for (;;) {
      const { data } = await this.request<{ data: StatusView }>('GET', `/api/scans/${encodeURIComponent(scanId)}/status`);
      const now = `${data.status}${data.progress ? ` (${data.progress.stage}, ${data.progress.percent}%)` : ''}`;
      if (now !== said) this.options.progress(`scan ${scanId}: ${(said = now)}`);
      if (data.status === 'COMPLETE') return;
      if (TERMINAL.has(data.status))
        throw new ServerScanError(`scan ${scanId} ${data.status}${data.failure ? `: ${data.failure.code}: ${data.failure.reason}` : ''}`);
      await this.pause(this.options.pollMs ?? pollDelay(Date.now() - started), `scan ${scanId} still ${data.status}; it goes on on the server`);
    }
  }

  /** Waits, unless waiting would pass the deadline. */
  private async pause(ms: number, whatIsLeft: string): Promise<void> {
    if (Date.now() + ms > this.options.deadline) throw new ServerScanError(`timed out: ${whatIsLeft}`);
    await sleep(ms);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.base);
    for (;;) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method,
          // The API never redirects: a redirect is refused rather than followed with the key.
          redirect: 'error',
          headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      } catch (error) {
        const denied = egressDenial(error);
        throw new ServerScanError(
          denied
            ? denied.message
            : `cannot reach the HarborGuard server at ${this.base.origin}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
        );
      }
      const text = (await bodyOf(response, ANSWER_LIMIT)).toString('utf8');
      if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after'));
        const wait = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5_000;
        this.options.progress(`rate limited by the server; retrying in ${Math.ceil(wait / 1000)} s`);
        await this.pause(wait, `rate limited by the server (${method} ${path})`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ServerScanError(`${method} ${url.pathname}: the server answered ${response.status} without JSON; is ${this.base.origin} a HarborGuard API?`);
      }
      if (!response.ok) {
        const error = (parsed as { error?: { code?: string; message?: string } }).error;
        throw new ServerScanError(
          `${method} ${url.pathname}: ${response.status} ${error?.code ?? ''}${error?.message ? `: ${error.message}` : ''}`.replace(/ :/, ':'),
        );
      }
      return parsed as T;
    }
  }
}
