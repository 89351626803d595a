// Why a scan was not matched, told to whoever can act: a scanner task's reader runs a server and
// cannot pass --db; the CLI's user can. Either way the envelope says NOT_MATCHED with its reason.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { toEnvelope } from '../report/envelope.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import { addFindings } from './add-findings.ts';
import { runScan } from './run-scan.ts';

const work = mkdtempSync(join(tmpdir(), 'hg-add-findings-'));
const missingDb = join(work, 'advisories.db');
let source: string;

beforeAll(async () => {
  source = await writeOciLayout(join(work, 'image'), { layers: [[{ name: 'app/server', content: 'x', mode: 0o755 }]] }, '1.0');
});
afterEach(() => vi.unstubAllEnvs());

async function withoutSnapshot(runtime: 'cli' | 'task' | undefined): Promise<ScanReport> {
  vi.stubEnv('HARBORGUARD_DB', missingDb);
  vi.stubEnv('HARBORGUARD_DB_S3_BUCKET', '');
  vi.stubEnv('HARBORGUARD_DB_S3_KEY', '');
  const { report } = await addFindings(await runScan(source), source, { scanners: [], ...(runtime ? { runtime } : {}) });
  return report;
}

it("tells a task's reader that the deployment has no published snapshot, never to pass --db", async () => {
  const envelope = toEnvelope(await withoutSnapshot('task'));
  const warning = envelope.warnings?.find((w) => w.startsWith('vulnerabilities not matched: '));
  expect(warning).toContain(`none at ${missingDb}`);
  expect(warning).toContain('the advisory updater has not published one yet');
  expect(warning).toContain('set HARBORGUARD_DB before `npm start`');
  expect(warning).not.toContain('--db');
  expect(envelope.matching).toEqual({ status: 'NOT_MATCHED', reason: 'NO_SNAPSHOT', detail: warning!.slice('vulnerabilities not matched: '.length) });
});

it('keeps the --db advice for the CLI', async () => {
  const envelope = toEnvelope(await withoutSnapshot(undefined));
  expect(envelope.warnings).toContain(
    `vulnerabilities not matched: no advisory database at ${missingDb} (build one with \`harborguard db build\`, or pass --db / set HARBORGUARD_DB)`,
  );
  expect(envelope.matching).toMatchObject({ status: 'NOT_MATCHED', reason: 'NO_SNAPSHOT' });
});
