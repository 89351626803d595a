// A small OCI distribution API client: the challenge flow (anonymous or with credentials → bearer
// token), HTTP Basic, retries with backoff on 429/5xx and network errors, plain HTTP when asked
// (only, or after HTTPS could not connect: Docker's rule for loopback registries).
//
// The registry is named by a user, so the client treats everything it answers as hostile
// (docs/SECURITY.md): connections go through the egress policy when one is given; redirects
// are followed by hand, only to HTTPS or within the same origin, and credentials never cross
// an origin; a token realm must be HTTPS and receives stored credentials only when it is the
// registry's own host or a host known or configured for it; and every way of not being a
// registry (closed port, another service, TLS failure, 404 without an OCI error) fails with
// the same RegistryUnreachableError, so failures never tell ports apart.
import { bodyOf, egressDenial, egressFetch, EgressDeniedError, type Fetch } from '#shared/egress/egress-fetch.ts';
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import { AuthRequiredError, ImageNotFoundError, ImageSourceError, RegistryUnreachableError } from './image-errors.ts';
import { parseChallenge, type Challenge } from './www-authenticate.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** Plain HTTP only (the user's --insecure). */
  insecure?: boolean;
  /**
   * HTTPS first, and plain HTTP if no TLS connection can be made before the registry ever
   * answered over TLS: Docker's rule for loopback and insecure registries, so that one serving
   * TLS is still spoken to over TLS.
   */
  plainHttpFallback?: boolean;
  credentials?: Credentials;
  /** Attempts per request on 429, 5xx and network errors. */
  attempts?: number;
  /** First backoff delay; doubles on each retry. */
  backoffMs?: number;
  /** Connect only where this policy allows (the scanner task); unset, anywhere (the CLI on its user's machine). */
  egress?: EgressPolicy;
  /** Token-service hosts, besides the registry's own and the well-known ones, trusted with the credentials. */
  realmHosts?: readonly string[];
  /** Ends every request (retries, token exchanges) when it aborts: a caller's budget for the whole exchange. */
  signal?: AbortSignal;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const MAX_RETRY_AFTER_MS = 30_000;
/** Error and token bodies are small; anything longer is not what a registry sends. */
const SMALL_BODY_LIMIT = 64 * 1024;
/** Registries whose token service lives on another host of the same operator. */
const KNOWN_REALM_HOSTS: Record<string, readonly string[]> = { 'docker.io': ['auth.docker.io'], 'registry.gitlab.com': ['gitlab.com'] };

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** The OCI error codes of an error body (`{"errors":[{"code":…}]}`); empty when it is not one. */
async function ociErrorCodes(response: Response): Promise<string[]> {
  try {
    const body = JSON.parse((await bodyOf(response, SMALL_BODY_LIMIT)).toString('utf8')) as { errors?: Array<{ code?: unknown }> };
    return Array.isArray(body.errors) ? body.errors.map((e) => String(e?.code ?? '')) : [];
  } catch {
    return [];
  }
}

export class RegistryClient {
  private authorization: string | undefined;
  private base: URL;
  /** Whether the transport is settled: plain HTTP was chosen, or the registry answered over TLS. */
  private transportSettled: boolean;
  private readonly fetch: Fetch;

  constructor(
    private readonly registry: string,
    private readonly repository: string,
    private readonly options: RegistryClientOptions = {},
  ) {
    const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
    this.base = new URL(`${options.insecure ? 'http' : 'https'}://${host}`);
    this.transportSettled = options.insecure === true || options.plainHttpFallback !== true;
    this.fetch = egressFetch(options.egress);
  }

  /** GET /v2/<repository>/<path>, authenticating on demand. The caller owns the response body. */
  get(path: string, accept?: string): Promise<Response> {
    return this.fetchPath('GET', path, accept);
  }

  /** HEAD /v2/<repository>/<path>: a manifest's digest (Docker-Content-Digest) without its body, nor a pull counted by rate-limited registries. */
  head(path: string, accept?: string): Promise<Response> {
    return this.fetchPath('HEAD', path, accept);
  }

  private async fetchPath(method: 'GET' | 'HEAD', path: string, accept: string | undefined): Promise<Response> {
    // Built at each request: the base may have fallen back to plain HTTP meanwhile.
    const url = () => new URL(`/v2/${this.repository}/${path}`, this.base);
    const request = (target: URL) => this.request(target, accept, this.authorization, method);
    let response = await request(url());
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
      await response.body?.cancel();
      if (!challenge) throw this.unreachable();
      await this.authenticate(challenge);
      response = await request(url());
      if (response.status === 401) {
        await response.body?.cancel();
        throw new AuthRequiredError(
          `${this.describe()}: ${this.options.credentials ? 'credentials rejected' : 'authentication required (use --username and --password-stdin)'}`,
        );
      }
    }
    if (response.ok) return response;
    const isManifest = path.startsWith('manifests/');
    // A manifest request is the registry's first answer: only an OCI error body proves a
    // registry spoke. Blobs are asked for only after a registry answered for the manifest.
    const codes = isManifest ? await ociErrorCodes(response) : (await response.body?.cancel(), []);
    if (response.status === 403 && (codes.includes('DENIED') || codes.includes('UNAUTHORIZED') || !isManifest)) {
      throw new AuthRequiredError(`${this.describe()}: access denied`);
    }
    if (response.status === 404 && codes.includes('NAME_UNKNOWN')) throw new ImageNotFoundError(`repository ${this.describe()} not found`);
    if (response.status === 404 && codes.includes('MANIFEST_UNKNOWN')) {
      const reference = path.slice('manifests/'.length);
      throw new ImageNotFoundError(`${reference.includes(':') ? 'manifest' : 'tag'} "${reference}" not found in ${this.describe()} (image not found)`);
    }
    if (response.status === 404 && !isManifest) throw new ImageNotFoundError(`${this.describe()}: blob not found`);
    if (isManifest) throw this.unreachable();
    throw new ImageSourceError(`${this.describe()}: registry answered ${response.status} for ${path}`);
  }

  /** The one answer for a registry that cannot be talked to, whatever the reason. */
  unreachable(): RegistryUnreachableError {
    return new RegistryUnreachableError(
      `cannot reach the registry at ${this.base.host}: no OCI registry answered (unreachable, not a registry, or TLS failed)`,
    );
  }

  private describe(): string {
    return `${this.base.host}/${this.repository}`;
  }

  /** One request, following redirects by hand: HTTPS or same-origin only, credentials never across origins. */
  private async request(url: URL, accept: string | undefined, authorization = this.authorization, method: 'GET' | 'HEAD' = 'GET'): Promise<Response> {
    let current = url;
    let auth = authorization;
    for (let hop = 0; ; hop++) {
      const { response, url: sent } = await this.send(current, accept, auth, method);
      current = sent;
      if (!REDIRECTS.has(response.status)) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (hop >= MAX_REDIRECTS || !location) throw this.unreachable();
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw this.unreachable();
      }
      const sameOrigin = next.origin === current.origin;
      if (!sameOrigin && next.protocol !== 'https:') {
        throw new EgressDeniedError(`${this.describe()}: redirect to ${next.protocol}//${next.host} refused (only HTTPS, or the same origin, is followed)`);
      }
      if (!sameOrigin) auth = undefined;
      current = next;
    }
  }

  /** The response, and the URL it came from (plain HTTP after a fallback). */
  private async send(
    target: URL,
    accept: string | undefined,
    authorization: string | undefined,
    method: 'GET' | 'HEAD',
  ): Promise<{ response: Response; url: URL }> {
    const attempts = this.options.attempts ?? 4;
    let url = target;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = {};
      if (accept) headers.accept = accept;
      if (authorization) headers.authorization = authorization;
      let response: Response;
      try {
        response = await this.fetch(url, { method, headers, redirect: 'manual', ...(this.options.signal ? { signal: this.options.signal } : {}) });
      } catch (error) {
        const denied = egressDenial(error);
        if (denied) throw new EgressDeniedError(`${this.describe()}: ${denied.message}`);
        if (this.options.signal?.aborted) throw this.unreachable();
        const plain = this.fallBackToPlainHttp(url);
        if (plain) {
          url = plain;
          continue;
        }
        if (attempt >= attempts) throw this.unreachable();
        await sleep(this.delay(attempt));
        continue;
      }
      if (url.origin === this.base.origin) this.transportSettled = true;
      if (!RETRYABLE.has(response.status) || attempt >= attempts) return { response, url };
      await response.body?.cancel();
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : this.delay(attempt));
    }
  }

  /** The same URL over plain HTTP when the registry may be spoken to so and TLS never worked; the switch is for good. */
  private fallBackToPlainHttp(url: URL): URL | undefined {
    if (this.transportSettled || url.origin !== this.base.origin) return undefined;
    this.transportSettled = true;
    this.base = new URL(`http://${this.base.host}`);
    return new URL(`${url.pathname}${url.search}`, this.base);
  }

  private delay(attempt: number): number {
    const base = this.options.backoffMs ?? 250;
    return base * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
  }

  /** A token realm that may receive the stored credentials: the registry's own host, or one known or configured for it. */
  private trustsRealm(realm: URL): boolean {
    const trusted = [this.base.hostname, ...(KNOWN_REALM_HOSTS[this.registry] ?? []), ...(this.options.realmHosts ?? [])];
    return trusted.includes(realm.hostname.toLowerCase());
  }

  private async authenticate(challenge: Challenge): Promise<void> {
    const { credentials } = this.options;
    const basic = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
    if (challenge.scheme === 'basic') {
      if (!basic) throw new AuthRequiredError(`${this.describe()}: authentication required (use --username and --password-stdin)`);
      this.authorization = basic;
      return;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm)
      throw new AuthRequiredError(`${this.describe()}: authentication required with an unsupported challenge`);
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw this.unreachable();
    }
    if (realm.protocol !== 'https:' && realm.origin !== this.base.origin) {
      throw new EgressDeniedError(`${this.describe()}: token realm ${realm.protocol}//${realm.host} refused (a realm must be HTTPS, or the registry itself)`);
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? `repository:${this.repository}:pull`);
    // Credentials go to the realm only when it is trusted; an anonymous token is asked for otherwise.
    const withheld = Boolean(basic) && !this.trustsRealm(realm);
    const response = await this.request(realm, 'application/json', withheld ? undefined : basic);
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      const why = withheld
        ? `credentials withheld from the token service at ${realm.host}, which is not the registry's host (configure it as a token realm of the registry)`
        : credentials
          ? 'credentials rejected by the token service'
          : 'authentication required (use --username and --password-stdin)';
      throw new AuthRequiredError(`${this.describe()}: ${why}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ImageSourceError(`${this.describe()}: token service answered ${response.status}`);
    }
    let token: string | undefined;
    try {
      const body = JSON.parse((await bodyOf(response, SMALL_BODY_LIMIT)).toString('utf8')) as { token?: unknown; access_token?: unknown };
      token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    } catch {
      token = undefined;
    }
    if (!token) throw new ImageSourceError(`${this.describe()}: token service returned no token`);
    this.authorization = `Bearer ${token}`;
  }
}
