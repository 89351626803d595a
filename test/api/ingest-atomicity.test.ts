// Ingest takes an envelope whole or not at all: every value that becomes (part of) a DynamoDB
// key is bounded by the shared schema, so a too-long one is a 400 before anything is written;
// validation of a huge invalid envelope reports its first issues instead of overflowing the
// stack; and a failure part-way leaves the scan as it was, ready for a retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeDigest, ingestEnvelope, INGEST_CLAIM_MS } from '../../functions/domain/scans/ingest-envelope.ts';
import type { Principal } from '../../functions/domain/identity/principal.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
let sensor: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('atomicity');
  admin = apiKey(org.apiKeys.admin);
  sensor = apiKey(org.sensorKey);
});
afterAll(() => stack?.close());

const upload = (body: unknown) => call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, body);

async function queuedScan(): Promise<string> {
  return (await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'ghcr.io/acme/api:2.0.0' })).body.scanId;
}

function expectValidationError(response: Awaited<ReturnType<typeof call>>, path: string) {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
}

describe('values that become DynamoDB keys are bounded by the schema', () => {
  const vulnerability = { id: 'GHSA-xxxx-yyyy-zzzz', severity: 'HIGH' as const, package: 'p', version: '1.0' };
  it.each([
    // cveId#package is the sort key of first sightings and carried triage (≤ 1,024 bytes)
    ['vulnerabilities[0].package', { vulnerabilities: [{ ...vulnerability, package: 'p'.repeat(1500) }] }],
    ['vulnerabilities[0].id', { vulnerabilities: [{ ...vulnerability, id: `GHSA-${'x'.repeat(1500)}` }] }],
    // 700 characters, but 2,800 UTF-8 bytes
    ['vulnerabilities[0].package', { vulnerabilities: [{ ...vulnerability, package: '😀'.repeat(700) }] }],
    // part of the tag's key and of the scan item (≤ 400 KB)
    ['image.digest', { image: { name: 'ghcr.io/acme/api', tag: '1.0', digest: `sha256:${'a'.repeat(500_000)}` } }],
    ['image.digest', { image: { digest: `sha256:${'a'.repeat(2000)}` } }],
  ])('%s too long → 400 naming it; the queued scan is untouched (case %#)', async (path, overrides) => {
    const scanId = await queuedScan();
    const before = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).body.data;
    expectValidationError(await upload(sampleEnvelope({ scan: { id: scanId }, ...overrides })), path);
    const after = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).body.data;
    expect(after).toEqual(before);
    expect(after.status).toBe('QUEUED');
  });

  it('an unknown scan id with a too-long key part creates no scan', async () => {
    const envelope = sampleEnvelope({ vulnerabilities: [{ ...vulnerability, package: 'p'.repeat(1500) }] });
    expectValidationError(await upload(envelope), 'vulnerabilities[0].package');
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, admin)).status).toBe(404);
  });
});

describe('validation of a huge invalid envelope', () => {
  it('100,000 invalid vulnerabilities → 400 with the first issues, not a stack overflow', { timeout: 60_000 }, async () => {
    const envelope = sampleEnvelope({
      vulnerabilities: Array.from({ length: 100_000 }, () => ({ id: '', severity: 'NOPE', package: '', version: 1, surprise: true })) as never,
    });
    const response = await upload(envelope);
    expectValidationError(response, 'vulnerabilities[0].severity');
    expect(response.body.error.issues.length).toBeLessThanOrEqual(50);
    expect(response.body.error.message.length).toBeLessThan(4096);
  });

  it('200,000 invalid packages → 400 as well', { timeout: 60_000 }, async () => {
    const envelope = sampleEnvelope({ packages: Array.from({ length: 200_000 }, () => ({ name: '', version: 2, type: '' })) as never });
    expectValidationError(await upload(envelope), 'packages[0].name');
  });
});

describe('a failure part-way through ingest', () => {
  /** The real adapters, with one port that fails once at the chosen step. */
  function failingOnce<K extends 'triage' | 'scans' | 'artifacts'>(port: K, method: string) {
    const deps = apiDependencies();
    let failed = false;
    const real = deps[port] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const proxy = new Proxy(real, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name !== method || failed || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async () => {
          failed = true;
          throw new Error(`injected ${String(port)}.${method} failure`);
        };
      },
    });
    return { ...deps, [port]: proxy };
  }

  const actor = (): Principal => ({ orgId: org.orgId, role: 'developer', kind: 'api_key', credentialId: 'ak-test', sensor: true });

  it.each([
    ['artifacts', 'putArtifacts'],
    ['triage', 'firstSightings'],
    ['scans', 'replaceFindings'],
    ['triage', 'recordFirstSightings'],
  ] as const)('%s.%s fails: the scan stays QUEUED with no findings, and a retry completes it', async (port, method) => {
    const scanId = await queuedScan();
    const envelope = sampleEnvelope({ scan: { id: scanId } });
    await expect(ingestEnvelope(actor(), envelope, failingOnce(port, method))).rejects.toThrow(/injected/);
    const halfway = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).body.data;
    expect(halfway).toMatchObject({ status: 'QUEUED', vulnerabilities: [], packages: [] });
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/vulnerabilities`, admin)).body.data).toEqual([]);

    expect((await upload(envelope)).status).toBe(200);
    const done = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).body.data;
    expect(done.status).toBe('COMPLETE');
    expect(done.vulnerabilities).toHaveLength(3);
    expect(done.packages).toEqual(envelope.packages);
  });

  it('a sensor-initiated scan that failed part-way does not exist yet', async () => {
    const envelope = sampleEnvelope();
    await expect(ingestEnvelope(actor(), envelope, failingOnce('scans', 'replaceFindings'))).rejects.toThrow(/injected/);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, admin)).status).toBe(404);
  });
});

describe('one envelope at a time', () => {
  // An organisation of its own: these tests queue scans of their own, within its rate limit.
  let claims: SeededOrg;
  beforeAll(async () => {
    claims = await seedOrganization('atomicity-claims');
  });
  const queuedScan = async (): Promise<string> =>
    (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(claims.apiKeys.admin), { image: 'ghcr.io/acme/api:2.0.0' })).body.scanId;
  const upload = (body: unknown) => call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(claims.sensorKey), body);
  /** The real adapters; the chosen method waits, once, until the test opens the gate. */
  function gatedAt(port: 'scans' | 'artifacts', method: string) {
    const deps = apiDependencies();
    let reached!: () => void;
    let open!: () => void;
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (open = resolve));
    let waited = false;
    const real = deps[port] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const proxy = new Proxy(real, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const bound = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
        if (name !== method || waited) return bound;
        return async (...args: unknown[]) => {
          waited = true;
          reached();
          await gate;
          return bound(...args);
        };
      },
    });
    return { deps: { ...deps, [port]: proxy }, arrived, open };
  }

  const actor = (): Principal => ({ orgId: claims.orgId, role: 'developer', kind: 'api_key', credentialId: 'ak-test', sensor: true });
  const detail = async (scanId: string) => (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, apiKey(claims.apiKeys.admin))).body.data;
  const unique = (ids: string[]) => [...new Set(ids)].sort();
  const cveIds = (envelope: ReturnType<typeof sampleEnvelope>) => unique(envelope.vulnerabilities.map((v) => v.cveId ?? v.id));
  const storedCveIds = (scan: { vulnerabilities: { cveId: string }[] }) => unique(scan.vulnerabilities.map((v) => v.cveId));
  /** Two envelopes for one scan that differ in every part ingest stages. */
  function rivals(scanId: string) {
    const first = sampleEnvelope({ scan: { id: scanId } });
    const second = sampleEnvelope({
      scan: { id: scanId },
      vulnerabilities: [{ id: 'CVE-2024-9999', severity: 'LOW', package: 'busybox', version: '1.36.1' }],
      packages: [{ name: 'busybox', version: '1.36.1', type: 'apk', purl: 'pkg:apk/alpine/busybox@1.36.1' }],
    });
    return { first, second };
  }

  it.each([
    ['a queued scan', true],
    ['a sensor scan not yet created', false],
  ])('into %s: a second envelope while the first is being stored is a 409, and the scan ends with the first one whole', async (_what, queued) => {
    const scanId = queued ? await queuedScan() : sampleEnvelope().scan.id;
    const { first, second } = rivals(scanId);
    const gated = gatedAt('scans', 'replaceFindings');
    const ingesting = ingestEnvelope(actor(), first, gated.deps);
    await gated.arrived;

    const rival = await upload(second);
    expect({ status: rival.status, code: rival.body.error?.code }).toEqual({ status: 409, code: 'CONFLICT' });
    expect(rival.body.error.message).toMatch(/Another upload of scan .* is being stored/);

    gated.open();
    await ingesting;
    const done = await detail(scanId);
    expect(done.status).toBe('COMPLETE');
    expect(done.packages).toEqual(first.packages);
    expect(storedCveIds(done)).toEqual(cveIds(first));
    // Once COMPLETE it is final: the rival is refused again, the first envelope is answered as before.
    expect((await upload(second)).status).toBe(409);
    expect((await upload(first)).status).toBe(200);
    expect(await detail(scanId)).toEqual(done);
  });

  it('an ingest that failed gives its claim up: another envelope is then stored whole, with nothing of the first', async () => {
    const scanId = await queuedScan();
    const { first, second } = rivals(scanId);
    const deps = apiDependencies();
    const scans = new Proxy(deps.scans, {
      get: (target, name) => {
        const value = Reflect.get(target, name) as unknown;
        if (name === 'saveScan') return () => Promise.reject(new Error('injected saveScan failure'));
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const ingesting = ingestEnvelope(actor(), first, { ...deps, scans });
    await expect(ingesting).rejects.toThrow(/injected/);
    expect((await detail(scanId)).status).toBe('QUEUED');

    expect((await upload(second)).status).toBe(200);
    const done = await detail(scanId);
    expect(done.packages).toEqual(second.packages);
    expect(storedCveIds(done)).toEqual(cveIds(second));
    expect(await apiDependencies().scans.listFindings(claims.orgId, scanId)).toHaveLength(second.vulnerabilities.length);
  });

  it('a claim left by an ingest that was stopped holds until it lapses, then the next upload takes it', async () => {
    const scans = apiDependencies().scans;
    const scanId = await queuedScan();
    const { second } = rivals(scanId);
    const stopped = 'f'.repeat(64);
    const now = new Date();
    expect(await scans.claimIngest(claims.orgId, scanId, { envelopeSha256: stopped, until: new Date(now.getTime() + INGEST_CLAIM_MS) }, now)).toBe(true);
    expect((await upload(second)).status).toBe(409);
    // The same envelope may always take its own claim over (a retry of the stopped ingest).
    expect(await scans.claimIngest(claims.orgId, scanId, { envelopeSha256: stopped, until: new Date(now.getTime() + 1) }, now)).toBe(true);
    expect(await scans.claimIngest(claims.orgId, scanId, { envelopeSha256: envelopeDigest(second), until: now }, now)).toBe(false);

    // Lapsed (its holder's Lambda cannot still be running): the next upload proceeds.
    expect(await scans.claimIngest(claims.orgId, scanId, { envelopeSha256: stopped, until: new Date(now.getTime() - 1) }, now)).toBe(true);
    expect((await upload(second)).status).toBe(200);
    expect((await detail(scanId)).status).toBe('COMPLETE');
  });
});
