// Ingest takes an envelope whole or not at all: every value that becomes (part of) a DynamoDB
// key is bounded by the shared schema, so a too-long one is a 400 before anything is written;
// validation of a huge invalid envelope reports its first issues instead of overflowing the
// stack; and a failure part-way leaves the scan as it was, ready for a retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEnvelope } from '../../functions/domain/scans/ingest-envelope.ts';
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
