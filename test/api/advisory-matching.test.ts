// A scan not matched against an advisory snapshot has no risk score and says why in `matching`,
// so a client never reads "no snapshot" as "clean image"; a matched scan with no findings scores 0.
// The list rows carry the same `matching` as the detail, null while a scan has not finished.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let sensor: Credential;
let developer: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  const org = await seedOrganization('matching');
  sensor = apiKey(org.sensorKey);
  developer = apiKey(org.apiKeys.developer);
});
afterAll(() => stack?.close());

async function uploadAndRead(envelope: ScanEnvelope) {
  const upload = await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope);
  expect(upload.status).toBe(200);
  const detail = (await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, developer)).body.data;
  const listed = await call(stack.baseUrl, 'GET', '/api/scans?page=1&limit=50', developer);
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  const list = listed.body.data as Array<{ id: string; riskScore: number | null; matching: unknown }>;
  return { upload: upload.body.data, detail, row: list.find((r) => r.id === envelope.scan.id) };
}

const snapshot = { builtAt: '2026-11-30T08:00:00.000Z', contentHash: 'sha256:' + '0f'.repeat(32), advisories: 1234 };

it('gives a scan matched against no snapshot riskScore null and the reason NO_SNAPSHOT, in the upload answer, the detail and the list', async () => {
  const detail = 'no advisory snapshot available to scanner tasks (none at /x/advisories.db)';
  const {
    upload,
    detail: scan,
    row,
  } = await uploadAndRead(
    sampleEnvelope({
      vulnerabilities: [],
      matching: { status: 'NOT_MATCHED', reason: 'NO_SNAPSHOT', detail },
      warnings: [`vulnerabilities not matched: ${detail}`],
    }),
  );
  expect(upload.riskScore).toBeNull();
  expect(scan).toMatchObject({ status: 'COMPLETE', riskScore: null, matching: { status: 'NOT_MATCHED', reason: 'NO_SNAPSHOT', detail } });
  expect(row?.riskScore).toBeNull();
  expect(row?.matching).toEqual({ status: 'NOT_MATCHED', reason: 'NO_SNAPSHOT', detail });
});

it('scores a matched scan with no findings 0 and names the snapshot it was matched against', async () => {
  const { detail: scan, row } = await uploadAndRead(sampleEnvelope({ vulnerabilities: [], matching: { status: 'MATCHED', snapshot } }));
  expect(scan).toMatchObject({ riskScore: 0, matching: { status: 'MATCHED', snapshot } });
  expect(row?.riskScore).toBe(0);
  expect(row?.matching).toEqual({ status: 'MATCHED', snapshot });
});

it('treats an envelope without `matching` (written before it existed) as matched, as it was scored before', async () => {
  const { detail: scan, row } = await uploadAndRead(sampleEnvelope());
  expect(scan.riskScore).toBeGreaterThan(0);
  expect(scan.matching).toEqual({ status: 'MATCHED' });
  expect(row?.matching).toEqual({ status: 'MATCHED' });
});

it('lists a scan that has not finished with matching null, as its detail has it', async () => {
  const queued = await call(stack.baseUrl, 'POST', '/api/scans', developer, { image: 'ghcr.io/acme/api:1.0.0' });
  expect(queued.status).toBe(202);
  const rows = (await call(stack.baseUrl, 'GET', '/api/scans?status=QUEUED', developer)).body.data as Array<{ id: string; matching: unknown }>;
  expect(rows.find((r) => r.id === queued.body.scanId)).toMatchObject({ status: 'QUEUED', riskScore: null, matching: null });
  expect((await call(stack.baseUrl, 'GET', `/api/scans/${queued.body.scanId}`, developer)).body.data.matching).toBeNull();
});
