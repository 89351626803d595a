// Envelopes over API Gateway's 10 MB go through a pre-signed S3 upload: the scanner's own
// client asks for the URL, PUTs the gzip envelope to fauxqs S3 and has ingest read it back —
// same schema, same idempotency, bounded, and only within the credential's organisation and scan.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { ControlPlaneClient, DIRECT_UPLOAD_LIMIT } from '../../scanner-task/task/control-plane-client.ts';
import { apiKey, authHeaders, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let acme: SeededOrg;
let globex: SeededOrg;

const MiB = 1024 * 1024;

/**
 * A valid envelope whose gzip is between 10 and 11 MiB: over API Gateway's limit, under fauxqs's
 * own 11 MiB request limit (S3 itself takes 5 GB in one PUT). Packages carry incompressible
 * locations; their number is scaled once from a measured first try.
 */
function largeEnvelope(): { envelope: ScanEnvelope; gzip: Buffer } {
  const build = (count: number) => {
    const envelope = sampleEnvelope({
      packages: Array.from({ length: count }, (_, i) => ({
        name: `pkg-${i}`,
        version: '1.0.0',
        type: 'npm',
        purl: `pkg:npm/pkg-${i}@1.0.0`,
        location: `app/${randomBytes(500).toString('hex')}/package.json`,
      })),
    });
    return { envelope, gzip: gzipSync(JSON.stringify(envelope)) };
  };
  const first = build(20_000);
  return build(Math.round((20_000 * 10.5 * MiB) / first.gzip.length));
}

/** PUT bytes to a pre-signed URL from this process (the test process resolves *.localhost). */
const put = (url: string, body: Uint8Array) => fetch(url, { method: 'PUT', body: new Uint8Array(body) });
const uploadUrl = (credential: Credential, scanId: string) => call(stack.baseUrl, 'POST', '/api/scans/upload-url', credential, { scanId });

beforeAll(async () => {
  stack = await startTestStack({ env: { HG_LOCAL_LAMBDA_TIMEOUT_SECONDS: '300' } });
  acme = await seedOrganization('upload-acme');
  globex = await seedOrganization('upload-globex');
});
afterAll(() => stack?.close());

describe('a >10 MB envelope', () => {
  it(
    'is refused by the direct upload (API Gateway limit) and ingested through S3 by the scanner client, twice without duplicates',
    { timeout: 240_000 },
    async () => {
      const { envelope, gzip } = largeEnvelope();
      expect(gzip.length).toBeGreaterThan(DIRECT_UPLOAD_LIMIT);
      expect(gzip.length).toBeLessThan(11 * MiB);
      const direct = await fetch(`${stack.baseUrl}/api/scans/upload`, {
        method: 'POST',
        headers: { ...authHeaders(apiKey(acme.sensorKey)), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body: new Uint8Array(gzip),
      });
      expect(direct.status).toBe(413);

      const client = new ControlPlaneClient(stack.baseUrl, acme.sensorKey, { intervalMs: 250, timeoutMs: 200_000 });
      const first = (await client.upload(envelope)) as { data: { id: string; status: string } };
      expect(first.data).toMatchObject({ id: envelope.scan.id, status: 'COMPLETE' });
      await client.upload(envelope);
      const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, apiKey(acme.apiKeys.viewer), undefined, { 'Accept-Encoding': 'gzip' }))
        .body.data;
      expect(scan).toMatchObject({ status: 'COMPLETE', riskScore: 79 });
      expect(scan.packages).toHaveLength(envelope.packages.length);
      expect(scan.packages[0]).toEqual(envelope.packages[0]);
      expect(scan.vulnerabilities).toHaveLength(3);
      expect((await call(stack.baseUrl, 'GET', '/api/scans', apiKey(acme.apiKeys.admin))).body.meta.total).toBe(1);
    },
  );
});

describe('upload URLs and references', () => {
  it('gives a scanner task a URL for its own scan only, and a sensor for any scan of its organisation', async () => {
    const deps = apiDependencies();
    const taskScan = (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(acme.apiKeys.admin), { image: 'ghcr.io/acme/api:9.9' })).body.scanId as string;
    const taskKey = apiKey(await mintScanCredential(acme.orgId, taskScan, new Date(Date.now() + 60_000).toISOString(), deps));
    // A task's credential acts on its scan only while the scan exists.
    expect(
      (await uploadUrl(apiKey(await mintScanCredential(acme.orgId, 'scn-taskscan1', new Date(Date.now() + 60_000).toISOString(), deps)), 'scn-taskscan1'))
        .status,
    ).toBe(403);
    const own = await uploadUrl(taskKey, taskScan);
    expect(own.status).toBe(201);
    expect(own.body.data).toEqual({
      url: expect.stringMatching(/^http/),
      method: 'PUT',
      envelopeS3Key: expect.stringMatching(new RegExp(`^uploads/${acme.orgId}/${taskScan}/[0-9a-f]{32}\\.json\\.gz$`)),
      expiresAt: expect.any(String),
    });
    expect(own.body.data.url).toContain('X-Amz-Signature=');
    expect((await uploadUrl(taskKey, 'scn-otherscan')).status).toBe(403);
    expect((await uploadUrl(apiKey(acme.sensorKey), 'scn-anything')).status).toBe(201);
    for (const credential of [apiKey(acme.apiKeys.admin), { kind: 'cookie', value: acme.sessions.admin } as Credential])
      expect((await uploadUrl(credential, 'scn-x')).status).toBe(403);
    expect((await uploadUrl({ kind: 'none' }, 'scn-x')).status).toBe(401);
    const bad = await uploadUrl(apiKey(acme.sensorKey), '../../etc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['scanId']);
  });

  it('reads only keys of the caller organisation and scan, and validates what it reads like a direct upload', async () => {
    const envelope = sampleEnvelope();
    const { envelopeS3Key, url } = (await uploadUrl(apiKey(acme.sensorKey), envelope.scan.id)).body.data;
    expect((await put(url, gzipSync(JSON.stringify(envelope)))).status).toBe(200);

    // Another organisation's sensor cannot ingest Acme's object, nor a task key of another scan.
    const foreign = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(globex.sensorKey), { envelopeS3Key });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.issues).toEqual([{ path: 'envelopeS3Key', message: 'not a key this API gave out to your organisation' }]);
    const otherTask = apiKey(await mintScanCredential(acme.orgId, 'scn-notthisone', new Date(Date.now() + 60_000).toISOString(), apiDependencies()));
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', otherTask, { envelopeS3Key })).status).toBe(403);
    for (const bogus of [
      'orgs/x/scans/y/artifacts.json.gz',
      `uploads/${acme.orgId}/${envelope.scan.id}/../../x.json.gz`,
      `uploads/${acme.orgId}/${envelope.scan.id}/${'0'.repeat(32)}.json.gz`,
    ]) {
      const response = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), { envelopeS3Key: bogus });
      expect(response.status, bogus).toBe(400);
      expect(response.body.error.issues[0].path).toBe('envelopeS3Key');
    }
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), { envelopeS3Key, extra: 1 })).status).toBe(400);

    // Beyond 10 MB by definition: accepted for the ingest job, whose outcome the sensor polls.
    const ok = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), { envelopeS3Key });
    expect(ok.status).toBe(202);
    expect(ok.body.data).toEqual({ id: envelope.scan.id, status: 'INGESTING' });
    const done = (await new ControlPlaneClient(stack.baseUrl, acme.sensorKey, { intervalMs: 100, timeoutMs: 60_000 }).upload(envelope)) as { data: unknown };
    expect(done.data).toMatchObject({ id: envelope.scan.id, status: 'COMPLETE', riskScore: 79 });
  });

  it('answers an invalid uploaded envelope with the schema paths, and one for another scan with 400', async () => {
    const scanId = 'scn-invalidupload';
    const invalid = (await uploadUrl(apiKey(acme.sensorKey), scanId)).body.data;
    await put(invalid.url, gzipSync(JSON.stringify({ ...sampleEnvelope({ scan: { id: scanId } }), packages: [{ name: 'x' }] })));
    const response = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), { envelopeS3Key: invalid.envelopeS3Key });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['packages[0].version', 'packages[0].type']));

    const mismatched = (await uploadUrl(apiKey(acme.sensorKey), 'scn-declared')).body.data;
    await put(mismatched.url, Buffer.from(JSON.stringify(sampleEnvelope())));
    const wrong = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), { envelopeS3Key: mismatched.envelopeS3Key });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues).toEqual([{ path: 'scan.id', message: 'must be scn-declared, the scan the upload URL was issued for' }]);

    const garbage = (await uploadUrl(apiKey(acme.sensorKey), 'scn-garbage')).body.data;
    await put(garbage.url, Buffer.from('not json'));
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), { envelopeS3Key: garbage.envelopeS3Key })).body.error).toEqual({
      code: 'BAD_REQUEST',
      message: 'The uploaded object is not valid JSON',
    });
  });
});
