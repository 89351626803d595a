// Posting a delivery to its receiver (WebhookSender port) through the egress policy's fetch:
// the connection is made only to an address the policy allows, checked on the socket actually
// dialled (shared/egress/egress-fetch.ts); redirects are not followed (a 3xx is a failed
// attempt, not a hop to wherever it points); the whole exchange has one 10 s budget, so a
// receiver that hangs costs one timeout; only the first 1 KB of the answer is read.
import { egressDenial, egressFetch, type Fetch } from '#shared/egress/egress-fetch.ts';
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import type { WebhookSender } from '#domain/webhooks/webhook.ts';

export const DELIVERY_TIMEOUT_MS = 10_000;
const BODY_KEPT = 1024;

async function firstBytes(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function reasonOf(error: unknown): string {
  const denied = egressDenial(error);
  if (denied) return `Refused by the egress policy: ${denied.message}`;
  if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') return `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `Could not reach the receiver: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
}

export class EgressWebhookSender implements WebhookSender {
  private readonly fetch: Fetch;

  constructor(policy: EgressPolicy, fetch?: Fetch) {
    this.fetch = fetch ?? egressFetch(policy);
  }

  async post(request: { url: string; headers: Record<string, string>; body: string }) {
    const started = performance.now();
    const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await this.fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal });
      const responseBody = await firstBytes(response, BODY_KEPT).catch(() => '');
      const redirected = response.status >= 300 && response.status < 400;
      return {
        responseStatus: response.status,
        durationMs: elapsed(),
        responseBody,
        error: redirected
          ? `The receiver answered ${response.status} (a redirect, not followed)`
          : response.status >= 300
            ? `The receiver answered ${response.status}`
            : null,
      };
    } catch (error) {
      return { responseStatus: null, durationMs: elapsed(), responseBody: '', error: reasonOf(error) };
    }
  }
}
