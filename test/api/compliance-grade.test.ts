// One grade: an envelope the CLI's engine wrote, uploaded, gets the grade and score the CLI printed,
// with the checks behind them in the scan detail (docs/COMPLIANCE-CHECKS.md's example, and its F).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runScan } from '../../scanner-task/engine/run-scan.ts';
import { toEnvelope } from '../../scanner-task/report/envelope.ts';
import { writeOciLayout } from '../../scanner-task/testing/build-image.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let sensor: Credential;
let viewer: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  const org = await seedOrganization('grade');
  sensor = apiKey(org.sensorKey);
  viewer = apiKey(org.apiKeys.viewer);
});
afterAll(() => stack?.close());

/** Runs as root (no User), no HEALTHCHECK, tagged 1.0 (not latest); otherwise clean. */
async function scanDocumentedExample(env: string[]) {
  const source = await writeOciLayout(
    mkdtempSync(join(tmpdir(), 'hg-grade-')),
    {
      config: { config: { Env: ['PATH=/usr/bin', ...env] } },
      history: [{ created_by: 'COPY app /app' }],
      layers: [[{ name: 'app/server', content: 'x', mode: 0o755 }]],
    },
    '1.0',
  );
  return runScan(source);
}

it.each([
  { example: 'root, no HEALTHCHECK', env: [], score: 75, grade: 'C' },
  { example: 'the same with a credential in ENV', env: ['DB_PASSWORD=hunter2'], score: 62.5, grade: 'F' },
])('grades "$example" $grade ($score) in the API as the CLI does', async ({ env, score, grade }) => {
  const report = await scanDocumentedExample(env);
  expect(report.compliance).toEqual({ score, grade });
  const envelope = toEnvelope(report);

  const upload = await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope);
  expect(upload.status).toBe(200);
  expect(upload.body.data.compliance).toBe(grade);

  const detail = (await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, viewer)).body.data;
  expect(detail).toMatchObject({ status: 'COMPLETE', compliance: grade, complianceScore: score });
  expect(detail.checks).toEqual(report.checks.map(({ id, title, level, advisory, details }) => ({ id, title, level, advisory, details })));
  // The two advisory checks pass, and still are not scored: the case the old ingest got wrong.
  expect(detail.checks.filter((c: { advisory: boolean }) => c.advisory).map((c: { id: string; level: string }) => [c.id, c.level])).toEqual([
    ['CIS-DI-0008', 'PASS'],
    ['DKL-DI-0005', 'PASS'],
  ]);
});

it('reads an envelope without advisory flags, and grades no checks as no grade', async () => {
  const report = await scanDocumentedExample([]);
  const unflagged = toEnvelope(report);
  unflagged.checks = unflagged.checks!.map(({ advisory: _, ...check }) => check);
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, unflagged)).status).toBe(200);
  const old = (await call(stack.baseUrl, 'GET', `/api/scans/${unflagged.scan.id}`, viewer)).body.data;
  // Without the flag a passing check cannot say it is advice: all ten are scored, 8 ÷ 10.
  expect(old).toMatchObject({ compliance: 'B', complianceScore: 80 });
  expect(old.checks.every((c: { advisory: boolean }) => c.advisory === false)).toBe(true);

  const unchecked = toEnvelope(report);
  delete unchecked.checks;
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, unchecked)).body.data.compliance).toBeNull();
  const none = (await call(stack.baseUrl, 'GET', `/api/scans/${unchecked.scan.id}`, viewer)).body.data;
  expect(none).toMatchObject({ status: 'COMPLETE', compliance: null, complianceScore: null, checks: [] });
});
