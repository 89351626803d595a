// Scanners' raw outputs: the task's client uploads one with its scan-scoped key through a
// pre-signed PUT to fauxqs S3, users with the developer role fetch it through a pre-signed GET
// URL, only within their organisation, and deleting the scan deletes it.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { ControlPlaneClient } from '../../scanner-task/task/control-plane-client.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let acme: SeededOrg;
let globex: SeededOrg;
let scanId: string;
let taskKeyValue: string;
let taskKey: Credential;
const TRIVY_OUTPUT = JSON.stringify({ SchemaVersion: 2, ArtifactName: 'ghcr.io/acme/api:1.4.7', Results: [{ Target: 'debian', Vulnerabilities: [] }] });

const rawOutput = (credential: Credential, scanner: string, id = scanId) => call(stack.baseUrl, 'GET', `/api/scans/${id}/raw/${scanner}`, credential);
const uploadUrl = (credential: Credential, body: unknown) => call(stack.baseUrl, 'POST', '/api/scans/upload-url', credential, body);
const mintTaskKey = (id: string) => mintScanCredential(acme.orgId, id, new Date(Date.now() + 60_000).toISOString(), apiDependencies());

beforeAll(async () => {
  stack = await startTestStack();
  acme = await seedOrganization('raw-acme');
  globex = await seedOrganization('raw-globex');
  // Queued through the API, as every scan a task key is minted for (the dispatcher's), then uploaded.
  scanId = (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(acme.apiKeys.admin), { image: 'ghcr.io/acme/api:1.4.7' })).body.scanId;
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), sampleEnvelope({ scan: { id: scanId } }))).status).toBe(200);
  taskKeyValue = await mintTaskKey(scanId);
  taskKey = apiKey(taskKeyValue);
});
afterAll(() => stack?.close());

describe('raw scanner outputs', () => {
  it('are uploaded by the task with its scan-scoped key and read back, gzip, through a pre-signed URL', async () => {
    await new ControlPlaneClient(stack.baseUrl, taskKeyValue).uploadRawOutput(scanId, 'trivy', TRIVY_OUTPUT);

    const response = await rawOutput(apiKey(acme.apiKeys.developer), 'trivy');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      scanner: 'trivy',
      url: expect.stringContaining('X-Amz-Signature='),
      method: 'GET',
      contentEncoding: 'gzip',
      expiresAt: expect.any(String),
    });
    const download = await fetch(response.body.data.url);
    expect(download.status).toBe(200);
    expect(gunzipSync(Buffer.from(await download.arrayBuffer())).toString('utf8')).toBe(TRIVY_OUTPUT);
    expect((await rawOutput(apiKey(acme.apiKeys.admin), 'trivy')).status).toBe(200);
  });

  it('are refused below the developer role, and another organisation sees no such scan', async () => {
    expect((await rawOutput(apiKey(acme.apiKeys.viewer), 'trivy')).status).toBe(403);
    expect((await rawOutput({ kind: 'none' }, 'trivy')).status).toBe(401);
    const foreign = await rawOutput(apiKey(globex.apiKeys.developer), 'trivy');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: { code: 'NOT_FOUND', message: `Scan ${scanId} not found` } });
  });

  it('answer 404 with the error body for a scanner without an output, an unknown scanner, or a malformed path', async () => {
    const none = await rawOutput(apiKey(acme.apiKeys.developer), 'grype');
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ error: { code: 'NOT_FOUND', message: `Scan ${scanId} has no raw output of scanner grype` } });
    for (const scanner of ['harborguard', 'clair', 'TRIVY', 'x'.repeat(200)]) {
      const response = await rawOutput(apiKey(acme.apiKeys.developer), scanner);
      expect(response.status, scanner).toBe(404);
      expect(response.body.error.code, scanner).toBe('NOT_FOUND');
    }
    expect((await rawOutput(apiKey(acme.apiKeys.developer), 'trivy', 'scn-doesnotexist')).status).toBe(404);
    expect((await rawOutput(apiKey(acme.apiKeys.developer), 'trivy', '..%2F..%2Fetc')).status).toBe(404);
  });

  it('get upload URLs only for an existing scan, a known external scanner, and the credential’s own scan', async () => {
    const own = await uploadUrl(taskKey, { scanId, scanner: 'grype' });
    expect(own.status).toBe(201);
    expect(own.body.data).toEqual({
      url: expect.stringContaining('X-Amz-Signature='),
      method: 'PUT',
      rawOutputS3Key: `orgs/${acme.orgId}/scans/${scanId}/raw/grype.json.gz`,
      expiresAt: expect.any(String),
    });
    expect((await uploadUrl(apiKey(acme.sensorKey), { scanId, scanner: 'dive' })).status).toBe(201);

    expect((await uploadUrl(apiKey(await mintTaskKey('scn-another')), { scanId, scanner: 'trivy' })).status).toBe(403);
    expect((await uploadUrl(apiKey(globex.sensorKey), { scanId, scanner: 'trivy' })).status).toBe(404);
    expect((await uploadUrl(apiKey(acme.sensorKey), { scanId: 'scn-neverqueued', scanner: 'trivy' })).status).toBe(404);
    expect((await uploadUrl(apiKey(acme.apiKeys.admin), { scanId, scanner: 'trivy' })).status).toBe(403);
    for (const scanner of ['harborguard', 'clair', '../trivy', 7]) {
      const bad = await uploadUrl(taskKey, { scanId, scanner });
      expect(bad.status, String(scanner)).toBe(400);
      expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['scanner']);
    }
  });

  it('are deleted with their scan', async () => {
    const deps = apiDependencies();
    const envelope = sampleEnvelope();
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), envelope)).status).toBe(200);
    const client = new ControlPlaneClient(stack.baseUrl, acme.sensorKey);
    await Promise.all((['trivy', 'syft'] as const).map((scanner) => client.uploadRawOutput(envelope.scan.id, scanner, '{"ok":true}')));
    expect((await rawOutput(apiKey(acme.apiKeys.developer), 'syft', envelope.scan.id)).status).toBe(200);

    expect((await call(stack.baseUrl, 'DELETE', `/api/scans/${envelope.scan.id}`, apiKey(acme.apiKeys.admin))).status).toBe(200);
    expect((await rawOutput(apiKey(acme.apiKeys.developer), 'trivy', envelope.scan.id)).status).toBe(404);
    for (const scanner of ['trivy', 'syft'] as const) expect(await deps.rawOutputs.presignGet(acme.orgId, envelope.scan.id, scanner, 60)).toBeUndefined();
    // The other scan's output is untouched.
    expect((await rawOutput(apiKey(acme.apiKeys.developer), 'trivy')).status).toBe(200);
  });
});
