// A real snapshot file holding one advisory (a matching scenario's npm record), for tests that
// need a snapshot on disk but not its contents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asOsvRecord } from '#shared/matching/osv-record.ts';
import type { SnapshotHeader } from '#shared/matching/snapshot-format.ts';
import { SnapshotWriter } from '../match/snapshot-writer.ts';

const RECORD = join(import.meta.dirname, '../match/testdata/scenarios/npm/osv/GHSA-35jh-r3h4-6jhm.json');

export async function writeOneAdvisorySnapshot(path: string, builtAt: string): Promise<SnapshotHeader> {
  const writer = new SnapshotWriter();
  writer.add(asOsvRecord(JSON.parse(readFileSync(RECORD, 'utf8')), RECORD));
  return (await writer.write(path, builtAt)).header;
}
