// A small OCI distribution API client: the challenge flow (anonymous or with credentials → bearer
// token), HTTP Basic, retries with backoff on 429/5xx and network errors, plain HTTP when asked.
import { AuthRequiredError, ImageNotFoundError, ImageSourceError } from '../image-errors.ts';
import { parseChallenge } from './www-authenticate.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  insecure?: boolean;
  credentials?: Credentials;
  /** Attempts per request on 429, 5xx and network errors. */
  attempts?: number;
  /** First backoff delay; doubles on each retry. */
  backoffMs?: number;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

export class RegistryClient {
  private authorization: string | undefined;
  private readonly base: string;

  constructor(
    registry: string,
    private readonly repository: string,
    private readonly options: RegistryClientOptions = {},
  ) {
    const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
    this.base = `${options.insecure ? 'http' : 'https'}://${host}`;
  }

  /** GET /v2/<repository>/<path>, authenticating on demand. The caller owns the response body. */
  async get(path: string, accept?: string): Promise<Response> {
    const url = `${this.base}/v2/${this.repository}/${path}`;
    let response = await this.send(url, accept);
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
      await response.body?.cancel();
      await this.authenticate(challenge);
      response = await this.send(url, accept);
      if (response.status === 401) {
        await response.body?.cancel();
        throw new AuthRequiredError(`${this.describe()}: ${this.options.credentials ? 'credentials rejected' : 'authentication required (use --username and --password-stdin)'}`);
      }
    }
    if (response.status === 403) {
      await response.body?.cancel();
      throw new AuthRequiredError(`${this.describe()}: access denied`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ImageNotFoundError(`${this.describe()}: ${path.startsWith('manifests/') ? 'image not found' : 'blob not found'}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ImageSourceError(`${this.describe()}: registry answered ${response.status} for ${path}`);
    }
    return response;
  }

  private describe(): string {
    return `${this.base.replace(/^https?:\/\//, '')}/${this.repository}`;
  }

  private async send(url: string, accept: string | undefined): Promise<Response> {
    const attempts = this.options.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = {};
      if (accept) headers.accept = accept;
      if (this.authorization) headers.authorization = this.authorization;
      let response: Response;
      try {
        response = await fetch(url, { headers, redirect: 'follow' });
      } catch (error) {
        if (attempt >= attempts) {
          const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
          throw new ImageSourceError(`cannot reach ${this.base}: ${cause}`);
        }
        await sleep(this.delay(attempt));
        continue;
      }
      if (!RETRYABLE.has(response.status) || attempt >= attempts) return response;
      await response.body?.cancel();
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : this.delay(attempt));
    }
  }

  private delay(attempt: number): number {
    const base = this.options.backoffMs ?? 250;
    return base * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
  }

  private async authenticate(challenge: ReturnType<typeof parseChallenge>): Promise<void> {
    const { credentials } = this.options;
    const basic = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
    if (challenge?.scheme === 'basic') {
      if (!basic) throw new AuthRequiredError(`${this.describe()}: authentication required (use --username and --password-stdin)`);
      this.authorization = basic;
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) throw new AuthRequiredError(`${this.describe()}: authentication required with an unsupported challenge`);
    const tokenUrl = new URL(challenge.params.realm);
    if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
    tokenUrl.searchParams.set('scope', challenge.params.scope ?? `repository:${this.repository}:pull`);
    const response = await fetch(tokenUrl, { headers: basic ? { authorization: basic } : {} });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new AuthRequiredError(`${this.describe()}: ${credentials ? 'credentials rejected by the token service' : 'authentication required (use --username and --password-stdin)'}`);
    }
    if (!response.ok) throw new ImageSourceError(`${this.describe()}: token service answered ${response.status}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new ImageSourceError(`${this.describe()}: token service returned no token`);
    this.authorization = `Bearer ${token}`;
  }
}
